-- zhixing store schema, version 4.
--
-- Applied whole to a new store; an older store is brought here by the steps
-- in migrations/. Readable with any sqlite3 shell: enumerations are text,
-- money is integer fen, dates are ISO 'YYYY-MM-DD', times ISO with zone.
--
-- Keys: every table's integer key carries the site number of the office that
-- made the row in its high bits (site << 40 | local sequence), so stores that
-- work offline and merge later never collide.

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE site (
    site_no  INTEGER PRIMARY KEY CHECK (site_no BETWEEN 0 AND 8388607),
    name     TEXT NOT NULL,
    is_local INTEGER NOT NULL DEFAULT 0 CHECK (is_local IN (0, 1))
);
CREATE UNIQUE INDEX site_single_local ON site (is_local) WHERE is_local = 1;

CREATE TABLE court (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 16),
    name            TEXT NOT NULL CHECK (length(name) > 0),
    level           TEXT NOT NULL CHECK (level IN ('supreme', 'high', 'intermediate', 'basic')),
    higher_court_id INTEGER REFERENCES court (id),
    CHECK (higher_court_id IS NULL OR higher_court_id <> id)
);

CREATE TABLE officer (
    id         INTEGER PRIMARY KEY,
    login      TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 64),
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('clerk', 'officer', 'supervisor', 'admin')),
    court_id   INTEGER REFERENCES court (id),
    pin_hash   TEXT,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE subject (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'entity')),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- syllables separated by single spaces, one per Han character: 'zhang san'
    name_pinyin TEXT NOT NULL DEFAULT '',
    -- resident ID (person) or USCC (entity), upper case
    id_number   TEXT NOT NULL UNIQUE CHECK (length(id_number) = 18),
    -- 1 when a USCC failed its check character but was accepted as pilot-era
    id_warning  INTEGER NOT NULL DEFAULT 0 CHECK (id_warning IN (0, 1)),
    sex         TEXT CHECK (sex IN ('male', 'female')),
    birth_date  TEXT CHECK (birth_date IS NULL OR date(birth_date) IS birth_date),
    address     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (kind = 'person' OR (sex IS NULL AND birth_date IS NULL)),
    CHECK (kind = 'entity' OR (sex IS NOT NULL AND birth_date IS NOT NULL))
);

CREATE TABLE alias (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES subject (id),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_pinyin TEXT NOT NULL DEFAULT '',
    used_until  TEXT CHECK (used_until IS NULL OR date(used_until) IS used_until),
    UNIQUE (subject_id, name)
);

CREATE TABLE phone (
    id         INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL REFERENCES subject (id),
    number     TEXT NOT NULL CHECK (length(number) BETWEEN 5 AND 20 AND number NOT GLOB '*[^0-9+-]*'),
    carrier    TEXT NOT NULL DEFAULT 'unknown'
               CHECK (carrier IN ('china-mobile', 'china-unicom', 'china-telecom', 'unknown')),
    UNIQUE (subject_id, number)
);
CREATE INDEX phone_by_number ON phone (number);

-- An entity's restrictions also bind these four persons (domain.md).
CREATE TABLE responsible_person (
    id        INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES subject (id),
    person_id INTEGER NOT NULL REFERENCES subject (id),
    role      TEXT NOT NULL CHECK (role IN ('legal-representative', 'principal',
                                            'directly-responsible', 'actual-controller')),
    CHECK (entity_id <> person_id),
    UNIQUE (entity_id, role, person_id)
);
CREATE INDEX responsible_person_by_person ON responsible_person (person_id);

CREATE TABLE enforcement_case (
    id          INTEGER PRIMARY KEY,
    -- canonical form, full-width brackets: （2019）豫0185执1234号
    case_number TEXT NOT NULL UNIQUE,
    court_id    INTEGER NOT NULL REFERENCES court (id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2999),
    case_type   TEXT NOT NULL CHECK (case_type IN ('执', '执恢', '执保', '执异', '执复', '执监')),
    sequence    INTEGER NOT NULL CHECK (sequence > 0),
    applicant   TEXT NOT NULL CHECK (length(applicant) > 0),
    basis       TEXT,
    filed_on    TEXT NOT NULL CHECK (date(filed_on) IS filed_on),
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'performed', 'terminated', 'suspended', 'not-enforced')),
    UNIQUE (court_id, year, case_type, sequence)
);

CREATE TABLE case_debtor (
    case_id    INTEGER NOT NULL REFERENCES enforcement_case (id),
    subject_id INTEGER NOT NULL REFERENCES subject (id),
    PRIMARY KEY (case_id, subject_id)
) WITHOUT ROWID;
CREATE INDEX case_debtor_by_subject ON case_debtor (subject_id, case_id);

CREATE TABLE obligation (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL,
    subject_id   INTEGER NOT NULL,
    description  TEXT NOT NULL CHECK (length(description) > 0),
    -- NULL for a non-monetary obligation (vacate premises, ...)
    amount_fen   INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0),
    -- a non-monetary obligation is performed on this date
    performed_on TEXT CHECK (performed_on IS NULL OR date(performed_on) IS performed_on),
    CHECK (amount_fen IS NULL OR performed_on IS NULL),
    FOREIGN KEY (case_id, subject_id) REFERENCES case_debtor (case_id, subject_id),
    UNIQUE (case_id, subject_id, description)
);
CREATE INDEX obligation_by_subject ON obligation (subject_id);

-- Payments are facts: a wrong one is undone by a reversal row, never edited.
CREATE TABLE payment (
    id            INTEGER PRIMARY KEY,
    obligation_id INTEGER NOT NULL REFERENCES obligation (id),
    kind          TEXT NOT NULL CHECK (kind IN ('payment', 'reversal')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_on       TEXT NOT NULL CHECK (date(paid_on) IS paid_on),
    method        TEXT CHECK (method IN ('cash', 'transfer', 'wage-deduction',
                                         'seized-assets', 'before-import')),
    receipt_no    TEXT UNIQUE,
    reverses_id   INTEGER UNIQUE REFERENCES payment (id),
    reason        TEXT,
    recorded_by   INTEGER REFERENCES officer (id),
    recorded_at   TEXT NOT NULL,
    CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL)),
    CHECK (kind = 'payment' OR (reason IS NOT NULL AND method IS NULL AND receipt_no IS NULL)),
    CHECK (kind = 'reversal' OR method IS NOT NULL)
);
CREATE INDEX payment_by_obligation ON payment (obligation_id);

-- Payments on an obligation never exceed it; a reversal never exceeds what it reverses.
CREATE TRIGGER payment_within_obligation BEFORE INSERT ON payment
WHEN NEW.kind = 'payment' AND (
    SELECT o.amount_fen IS NULL
        OR o.amount_fen < NEW.amount_fen + coalesce((
            SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
            FROM payment p WHERE p.obligation_id = o.id), 0)
    FROM obligation o WHERE o.id = NEW.obligation_id)
BEGIN
    SELECT RAISE(ABORT, 'payment exceeds the amount outstanding on the obligation');
END;

CREATE TRIGGER reversal_within_payment BEFORE INSERT ON payment
WHEN NEW.kind = 'reversal' AND (
    SELECT p.kind <> 'payment' OR p.amount_fen < NEW.amount_fen OR p.obligation_id <> NEW.obligation_id
    FROM payment p WHERE p.id = NEW.reverses_id)
BEGIN
    SELECT RAISE(ABORT, 'a reversal must undo at most the payment it names, on the same obligation');
END;

CREATE TRIGGER payment_rows_are_facts BEFORE UPDATE ON payment
BEGIN
    SELECT RAISE(ABORT, 'payments are never edited: record a reversal');
END;

CREATE TABLE listing (
    id             INTEGER PRIMARY KEY,
    subject_id     INTEGER NOT NULL REFERENCES subject (id),
    case_id        INTEGER NOT NULL REFERENCES enforcement_case (id),
    ground         INTEGER NOT NULL CHECK (ground BETWEEN 1 AND 6),
    decision_no    TEXT NOT NULL CHECK (length(decision_no) > 0),
    decided_on     TEXT NOT NULL CHECK (date(decided_on) IS decided_on),
    -- NULL for ground 1 (no fixed period); 2, or 3 to 5 when extended
    period_years   INTEGER CHECK (period_years BETWEEN 2 AND 5),
    expires_on     TEXT CHECK (expires_on IS NULL OR date(expires_on) IS expires_on),
    published_on   TEXT CHECK (published_on IS NULL OR date(published_on) IS published_on),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lifted', 'revoked')),
    lifted_reason  TEXT CHECK (lifted_reason IN (
                        'performed', 'settlement-performed', 'applicant-request',
                        'no-assets-found', 'suspended', 'not-to-enforce',
                        'enforcement-terminated', 'period-ended', 'wrongly-listed')),
    lifted_on      TEXT CHECK (lifted_on IS NULL OR date(lifted_on) IS lifted_on),
    lifted_by      INTEGER REFERENCES officer (id),
    listed_by      INTEGER REFERENCES officer (id),
    created_at     TEXT NOT NULL,
    CHECK ((ground = 1) = (period_years IS NULL)),
    CHECK ((period_years IS NULL) = (expires_on IS NULL)),
    CHECK ((status = 'active') = (lifted_reason IS NULL)),
    CHECK ((status = 'active') = (lifted_on IS NULL)),
    CHECK (status <> 'revoked' OR lifted_reason = 'wrongly-listed')
);
CREATE INDEX listing_by_subject ON listing (subject_id);
CREATE INDEX listing_by_status ON listing (status, subject_id);
CREATE INDEX listing_active_expiry ON listing (expires_on) WHERE status = 'active';

CREATE TABLE restriction_catalog (
    code     TEXT PRIMARY KEY,
    grp      TEXT NOT NULL CHECK (grp IN ('consumption', 'joint-punishment')),
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    ordinal  INTEGER NOT NULL UNIQUE
) WITHOUT ROWID;

-- A restriction order without listing (the debtor missed the notice's deadline).
CREATE TABLE restriction_order (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES subject (id),
    case_id     INTEGER NOT NULL REFERENCES enforcement_case (id),
    decision_no TEXT NOT NULL,
    decided_on  TEXT NOT NULL CHECK (date(decided_on) IS decided_on),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lifted')),
    ordered_by  INTEGER REFERENCES officer (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX restriction_order_by_subject ON restriction_order (subject_id);

CREATE TABLE restriction (
    id            INTEGER PRIMARY KEY,
    subject_id    INTEGER NOT NULL REFERENCES subject (id),
    code          TEXT NOT NULL REFERENCES restriction_catalog (code),
    listing_id    INTEGER REFERENCES listing (id),
    order_id      INTEGER REFERENCES restriction_order (id),
    imposed_on    TEXT NOT NULL CHECK (date(imposed_on) IS imposed_on),
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lifted')),
    lifted_on     TEXT CHECK (lifted_on IS NULL OR date(lifted_on) IS lifted_on),
    lifted_reason TEXT CHECK (lifted_reason IN ('security-given', 'applicant-agrees', 'performed',
                                                'basis-lifted', 'wrongly-imposed')),
    lifted_by     INTEGER REFERENCES officer (id),
    imposed_by    INTEGER REFERENCES officer (id),
    created_at    TEXT NOT NULL,
    CHECK ((listing_id IS NULL) <> (order_id IS NULL)),
    CHECK ((status = 'active') = (lifted_on IS NULL)),
    CHECK ((status = 'active') = (lifted_reason IS NULL))
);
CREATE INDEX restriction_by_subject ON restriction (subject_id);
CREATE INDEX restriction_by_status ON restriction (status, subject_id);
CREATE INDEX restriction_by_listing ON restriction (listing_id) WHERE listing_id IS NOT NULL;
CREATE INDEX restriction_by_order ON restriction (order_id) WHERE order_id IS NOT NULL;

-- A court-approved necessary expense despite a restriction (Art. 8 of the 2015 provisions).
CREATE TABLE necessary_expense (
    id             INTEGER PRIMARY KEY,
    restriction_id INTEGER NOT NULL REFERENCES restriction (id),
    description    TEXT NOT NULL,
    amount_fen     INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0),
    approved_on    TEXT NOT NULL CHECK (date(approved_on) IS approved_on),
    approved_by    INTEGER REFERENCES officer (id)
);
CREATE INDEX necessary_expense_by_restriction ON necessary_expense (restriction_id);

CREATE TABLE objection (
    id                 INTEGER PRIMARY KEY,
    listing_id         INTEGER NOT NULL REFERENCES listing (id),
    subject_id         INTEGER NOT NULL REFERENCES subject (id),
    kind               TEXT NOT NULL CHECK (kind IN ('should-not-be-listed', 'information-wrong',
                                                     'should-be-deleted')),
    level              TEXT NOT NULL CHECK (level IN ('enforcing-court', 'higher-court')),
    reconsideration_of INTEGER UNIQUE REFERENCES objection (id),
    court_id           INTEGER NOT NULL REFERENCES court (id),
    filed_on           TEXT NOT NULL CHECK (date(filed_on) IS filed_on),
    -- 15 calendar days after filing
    due_on             TEXT NOT NULL CHECK (date(due_on) IS due_on),
    status             TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'upheld', 'rejected', 'withdrawn')),
    decided_on         TEXT CHECK (decided_on IS NULL OR date(decided_on) IS decided_on),
    decision_reason    TEXT,
    -- upheld: the correction is due within 3 working days
    correction_due_on  TEXT CHECK (correction_due_on IS NULL OR date(correction_due_on) IS correction_due_on),
    -- rejected: reconsideration may be asked within 10 days of service
    reconsider_by      TEXT CHECK (reconsider_by IS NULL OR date(reconsider_by) IS reconsider_by),
    filed_by           INTEGER REFERENCES officer (id),
    decided_by         INTEGER REFERENCES officer (id),
    created_at         TEXT NOT NULL,
    CHECK ((level = 'higher-court') = (reconsideration_of IS NOT NULL)),
    CHECK ((status = 'pending') = (decided_on IS NULL)),
    CHECK (status <> 'rejected' OR decision_reason IS NOT NULL)
);
CREATE INDEX objection_by_subject ON objection (subject_id);
CREATE INDEX objection_by_status ON objection (status, subject_id);
CREATE INDEX objection_by_listing ON objection (listing_id);

CREATE TABLE notice_template (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL,
    channel  TEXT NOT NULL CHECK (channel IN ('call', 'sms', 'letter', 'publication')),
    purpose  TEXT NOT NULL CHECK (purpose IN ('call-message', 'sms-warning', 'service',
                                              'publication', 'lifting', 'employer-notice')),
    language TEXT NOT NULL CHECK (language IN ('zh', 'en')),
    title    TEXT NOT NULL,
    -- placeholders: {court} {subject} {case_number} {outstanding} {deadline}
    body     TEXT NOT NULL CHECK (length(body) > 0),
    UNIQUE (code, language)
);

CREATE TABLE notice_batch (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('call', 'sms', 'letter', 'publication')),
    created_at TEXT NOT NULL,
    file_name  TEXT,
    count      INTEGER NOT NULL CHECK (count >= 0)
);

CREATE TABLE notice (
    id              INTEGER PRIMARY KEY,
    subject_id      INTEGER NOT NULL REFERENCES subject (id),
    listing_id      INTEGER REFERENCES listing (id),
    restriction_id  INTEGER REFERENCES restriction (id),
    template_id     INTEGER REFERENCES notice_template (id),
    channel         TEXT NOT NULL CHECK (channel IN ('call', 'sms', 'letter', 'publication')),
    purpose         TEXT NOT NULL CHECK (purpose IN ('call-message', 'sms-warning', 'service',
                                                     'publication', 'lifting', 'employer-notice')),
    recipient       TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'exported', 'sent', 'failed', 'cancelled')),
    batch_id        INTEGER REFERENCES notice_batch (id),
    queued_at       TEXT NOT NULL,
    queued_by       INTEGER REFERENCES officer (id),
    state_at        TEXT NOT NULL,
    failure_reason  TEXT,
    cancel_reason   TEXT,
    CHECK ((state IN ('exported', 'sent', 'failed')) <= (batch_id IS NOT NULL)),
    CHECK ((state = 'failed') = (failure_reason IS NOT NULL)),
    CHECK ((state = 'cancelled') = (cancel_reason IS NOT NULL))
);
CREATE INDEX notice_by_subject ON notice (subject_id);
CREATE INDEX notice_by_state ON notice (state, channel);
CREATE INDEX notice_by_listing ON notice (listing_id) WHERE listing_id IS NOT NULL;

-- Running clocks created by acts (deletion after performance, correction
-- after an upheld objection, ...). Objection and period deadlines are also
-- read straight from their own rows.
CREATE TABLE deadline (
    id           INTEGER PRIMARY KEY,
    subject_id   INTEGER NOT NULL REFERENCES subject (id),
    kind         TEXT NOT NULL CHECK (kind IN ('deletion-after-performance', 'correction-after-objection',
                                               'objection-decision', 'reconsideration-window',
                                               'reconsideration-decision', 'period-end')),
    listing_id   INTEGER REFERENCES listing (id),
    objection_id INTEGER REFERENCES objection (id),
    due_on       TEXT NOT NULL CHECK (date(due_on) IS due_on),
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'met', 'cancelled')),
    closed_at    TEXT,
    created_at   TEXT NOT NULL,
    CHECK ((state = 'open') = (closed_at IS NULL))
);
CREATE INDEX deadline_open ON deadline (due_on, subject_id) WHERE state = 'open';
CREATE INDEX deadline_by_subject ON deadline (subject_id);

-- China's working-day calendar: only exceptions are stored. Weekends not
-- listed are rest days, weekdays not listed are working days.
CREATE TABLE calendar_day (
    day  TEXT PRIMARY KEY CHECK (date(day) IS day),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL
) WITHOUT ROWID;

-- Append-only: what was done, by whom, when, and the before and after.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    officer_id  INTEGER REFERENCES officer (id),
    act         TEXT NOT NULL CHECK (length(act) > 0),
    subject_id  INTEGER,
    entity      TEXT,
    entity_id   INTEGER,
    before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json  TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
    detail      TEXT
);
CREATE INDEX audit_by_subject ON audit_log (subject_id, seq) WHERE subject_id IS NOT NULL;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- ---------------------------------------------------------------- version 2
-- The search index (migrations/0002-search-index.sql adds it to a v1 store).

-- Prefix terms: name, pinyin joined, pinyin initials, ID number, case
-- number, phone, alias. field: 1 name, 2 pinyin, 3 initials, 4 id,
-- 5 case, 6 phone, 7 alias.
CREATE TABLE search_term (
    term       TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    field      INTEGER NOT NULL CHECK (field BETWEEN 1 AND 7),
    PRIMARY KEY (term, subject_id, field)
) WITHOUT ROWID;
CREATE INDEX search_term_by_subject ON search_term (subject_id);

-- One- and two-character grams of names and aliases: trigram cannot serve
-- the shortest Han queries.
CREATE TABLE name_gram (
    gram       TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    PRIMARY KEY (gram, subject_id)
) WITHOUT ROWID;
CREATE INDEX name_gram_by_subject ON name_gram (subject_id);

-- Substrings of three or more characters anywhere: middle digits of an ID,
-- the end of a phone number, part of a case number. rowid = subject id.
CREATE VIRTUAL TABLE subject_fts USING fts5 (haystack, tokenize = 'trigram', detail = 'none');

-- ---------------------------------------------------------------- version 3
-- Indexes the officer's acts and queues read by (found by the acts
-- benchmark on a million subjects).

-- The clocks running on a listing, closed when it is lifted.
CREATE INDEX deadline_by_listing ON deadline (listing_id) WHERE listing_id IS NOT NULL;
-- The notices queue, newest first, all or by state.
CREATE INDEX notice_by_time ON notice (state_at);
CREATE INDEX notice_by_state_time ON notice (state, state_at);

-- ---------------------------------------------------------------- version 4
-- The audit log is hash-chained: a row's hash covers its content and the
-- hash of the row before it at the same site (SHA-256, hex; see
-- store/audit.rs for the exact bytes). `zhixing audit verify` walks it.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- ---------------------------------------------------------------- version 5
-- Acts that need a second officer wait here until a supervisor decides.
-- request_json is the act as the requesting officer confirmed it.
CREATE TABLE approval (
    id              INTEGER PRIMARY KEY,
    act             TEXT NOT NULL CHECK (length(act) > 0),
    subject_id      INTEGER REFERENCES subject (id),
    title           TEXT NOT NULL,
    request_json    TEXT NOT NULL CHECK (json_valid(request_json)),
    requested_by    INTEGER NOT NULL REFERENCES officer (id),
    requested_at    TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'approved', 'rejected')),
    decided_by      INTEGER REFERENCES officer (id),
    decided_at      TEXT,
    decision_reason TEXT,
    CHECK (decided_by IS NULL OR decided_by <> requested_by),
    CHECK ((state = 'pending') = (decided_by IS NULL))
);
CREATE INDEX approval_by_state ON approval (state, id);

-- What the log says about one row (a subject whose ID number was revealed,
-- an officer added): `zhixing audit show --subject` and the history tab.
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id) WHERE entity IS NOT NULL;

-- The last audit row of each site, kept by the trigger below in the same
-- transaction: a log whose newest rows were cut no longer ends where its
-- head says, and the store is refused.
CREATE TABLE audit_head (
    site INTEGER PRIMARY KEY,
    seq  INTEGER NOT NULL,
    hash TEXT
);
CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_log
BEGIN
    INSERT INTO audit_head (site, seq, hash) VALUES (NEW.seq >> 40, NEW.seq, NEW.hash)
    ON CONFLICT (site) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
    WHERE excluded.seq > audit_head.seq;
END;

-- Row seals (store/seal.rs): for each row of a legal table, a hash of its
-- table, key and columns, kept by zhixing's own connections; per table the
-- count and XOR of the seals, which every audit row carries in its chain.
-- A row changed, added or deleted by another program has no fresh seal.
-- tbl: the table's number in seal.rs; key: its id ("case/subject" for
-- case_debtor).
CREATE TABLE row_seal (
    tbl  INTEGER NOT NULL,
    key  NOT NULL,
    seal INTEGER NOT NULL,
    PRIMARY KEY (tbl, key)
) WITHOUT ROWID;
CREATE TABLE table_seal (
    tbl INTEGER PRIMARY KEY,
    n   INTEGER NOT NULL,
    x   INTEGER NOT NULL
);
INSERT INTO table_seal (tbl, n, x)
VALUES (1, 0, 0), (2, 0, 0), (3, 0, 0), (4, 0, 0), (5, 0, 0), (6, 0, 0), (7, 0, 0),
       (8, 0, 0), (9, 0, 0), (10, 0, 0), (11, 0, 0), (12, 0, 0), (13, 0, 0), (14, 0, 0),
       (15, 0, 0), (16, 0, 0), (17, 0, 0), (18, 0, 0), (19, 0, 0);
-- The per-table digests after the act, as JSON {"table": [count, xor]};
-- inside the row's hash.
ALTER TABLE audit_log ADD COLUMN state_digest TEXT;

-- Sync between offices (store/sync/). Every change to a legal row or the
-- audit log gets the next number of the store's change clock; an export to
-- a peer holds the rows changed since the last export to it. tbl: as in
-- row_seal, 0 for audit_log (key: seq).
CREATE TABLE sync_change (
    tbl INTEGER NOT NULL,
    key NOT NULL,
    n   INTEGER NOT NULL,
    PRIMARY KEY (tbl, key)
) WITHOUT ROWID;
CREATE INDEX sync_change_by_n ON sync_change (n);
CREATE TABLE sync_clock (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    n   INTEGER NOT NULL
);
INSERT INTO sync_clock (one, n) VALUES (1, 0);
-- What went to each peer, and what came from it.
CREATE TABLE sync_peer (
    site             INTEGER PRIMARY KEY,
    exported_through INTEGER NOT NULL DEFAULT 0,
    last_export_at   TEXT,
    last_export_file TEXT,
    last_apply_at    TEXT,
    last_apply_file  TEXT
);
-- Each file applied, by its SHA-256: the same file twice changes nothing.
CREATE TABLE sync_applied (
    sha256     TEXT PRIMARY KEY,
    from_site  INTEGER NOT NULL,
    applied_at TEXT NOT NULL
) WITHOUT ROWID;
-- Another office's payment arrives as the fact it is there: two payments
-- are two payments, even when together they exceed the obligation (the
-- sync reports that as a conflict). Only this office's own payments are
-- held to what is outstanding.
DROP TRIGGER payment_within_obligation;
CREATE TRIGGER payment_within_obligation BEFORE INSERT ON payment
WHEN NEW.kind = 'payment'
    AND NOT (NEW.id > 0 AND NEW.id >> 40 <> (SELECT site_no FROM site WHERE is_local = 1)) AND (
    SELECT o.amount_fen IS NULL
        OR o.amount_fen < NEW.amount_fen + coalesce((
            SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
            FROM payment p WHERE p.obligation_id = o.id), 0)
    FROM obligation o WHERE o.id = NEW.obligation_id)
BEGIN
    SELECT RAISE(ABORT, 'payment exceeds the amount outstanding on the obligation');
END;

-- ---------------------------------------------------------------- version 6
-- What the subject list shows of each subject, kept in step with the legal
-- rows it derives from (store/standing.rs: TEMP triggers on zhixing's own
-- connections; an import recomputes its subjects in one statement), so a
-- page or a search result reads one row per subject instead of counting
-- listings, restrictions, objections, clocks, obligations and payments.
-- next_due_on: the earliest open deadline, pending objection's decision
-- date or active listing's expiry; court_id: the court of the subject's
-- most recently filed case. Derived data: not sealed, not synced.
CREATE TABLE subject_standing (
    subject_id           INTEGER PRIMARY KEY,
    active_listings      INTEGER NOT NULL,
    active_restrictions  INTEGER NOT NULL,
    pending_objections   INTEGER NOT NULL,
    next_due_on          TEXT,
    monetary_obligations INTEGER NOT NULL,
    owed_fen             INTEGER NOT NULL,
    paid_fen             INTEGER NOT NULL,
    court_id             INTEGER
);

-- Search terms gain field 8, an ID number from its birth date, month, day
-- and last four characters on (positions 7, 11, 13, 15), and field 9, the
-- pinyin of a name from its second syllable on (the given name): what an
-- officer types from the middle of an ID or a name is a prefix scan too.
-- CHECK cannot be altered: the table is made anew and its terms copied.
CREATE TABLE search_term_v6 (
    term       TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    field      INTEGER NOT NULL CHECK (field BETWEEN 1 AND 9),
    PRIMARY KEY (term, subject_id, field)
) WITHOUT ROWID;
INSERT INTO search_term_v6 (term, subject_id, field) SELECT term, subject_id, field FROM search_term;
DROP TABLE search_term;
ALTER TABLE search_term_v6 RENAME TO search_term;
CREATE INDEX search_term_by_subject ON search_term (subject_id);

-- ---------------------------------------------------------------- version 7
-- What each subject was last indexed by (store/search_source.rs: name,
-- pinyin, ID number, aliases, phones, cases, as JSON). A subject's old
-- entries are removed by their keys, made again from it: the indexes by
-- subject over the terms and grams cost more to build after an import
-- than the terms themselves, and were read only to remove entries.
CREATE TABLE indexed_subject (
    subject_id INTEGER PRIMARY KEY,
    source     TEXT NOT NULL
);
DROP INDEX search_term_by_subject;
DROP INDEX name_gram_by_subject;

-- ---------------------------------------------------------------- version 8
-- A subject's ID number and a case's number (and its court, year, type and
-- sequence) are unique by named indexes instead of column constraints: an
-- index SQLite makes for a column constraint cannot be dropped, and an
-- import into an empty store fills these tables faster without them and
-- makes each index after, by one sort (store/import/merge.rs). Same
-- columns, checks, keys and rows; the rows are set aside, the tables made
-- anew under their own names and the rows put back (foreign keys are not
-- enforced while a store is upgraded). Not made under another name and
-- renamed: every open checks the store's shape against these sections run
-- in memory, and each RENAME re-reads the whole schema (2 ms each).
CREATE TEMP TABLE subject_rows AS SELECT * FROM subject;
DROP TABLE subject;
CREATE TABLE subject (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'entity')),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- syllables separated by single spaces, one per Han character: 'zhang san'
    name_pinyin TEXT NOT NULL DEFAULT '',
    -- resident ID (person) or USCC (entity), upper case; unique (below)
    id_number   TEXT NOT NULL CHECK (length(id_number) = 18),
    -- 1 when a USCC failed its check character but was accepted as pilot-era
    id_warning  INTEGER NOT NULL DEFAULT 0 CHECK (id_warning IN (0, 1)),
    sex         TEXT CHECK (sex IN ('male', 'female')),
    birth_date  TEXT CHECK (birth_date IS NULL OR date(birth_date) IS birth_date),
    address     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (kind = 'person' OR (sex IS NULL AND birth_date IS NULL)),
    CHECK (kind = 'entity' OR (sex IS NOT NULL AND birth_date IS NOT NULL))
);
INSERT INTO subject (id, kind, name, name_pinyin, id_number, id_warning, sex, birth_date, address,
                     created_at, updated_at)
SELECT id, kind, name, name_pinyin, id_number, id_warning, sex, birth_date, address,
       created_at, updated_at
FROM temp.subject_rows ORDER BY id;
DROP TABLE temp.subject_rows;
CREATE UNIQUE INDEX subject_by_id_number ON subject (id_number);

CREATE TEMP TABLE case_rows AS SELECT * FROM enforcement_case;
DROP TABLE enforcement_case;
CREATE TABLE enforcement_case (
    id          INTEGER PRIMARY KEY,
    -- canonical form, full-width brackets: （2019）豫0185执1234号; unique (below)
    case_number TEXT NOT NULL,
    court_id    INTEGER NOT NULL REFERENCES court (id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2999),
    case_type   TEXT NOT NULL CHECK (case_type IN ('执', '执恢', '执保', '执异', '执复', '执监')),
    sequence    INTEGER NOT NULL CHECK (sequence > 0),
    applicant   TEXT NOT NULL CHECK (length(applicant) > 0),
    basis       TEXT,
    filed_on    TEXT NOT NULL CHECK (date(filed_on) IS filed_on),
    status      TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'performed', 'terminated', 'suspended', 'not-enforced'))
);
INSERT INTO enforcement_case (id, case_number, court_id, year, case_type, sequence, applicant, basis,
                              filed_on, status)
SELECT id, case_number, court_id, year, case_type, sequence, applicant, basis, filed_on, status
FROM temp.case_rows ORDER BY id;
DROP TABLE temp.case_rows;
CREATE UNIQUE INDEX case_by_number ON enforcement_case (case_number);
CREATE UNIQUE INDEX case_by_sequence ON enforcement_case (court_id, year, case_type, sequence);

-- ---------------------------------------------------------------- version 9
-- A CHECK that a column holds one of three or more values, written as
-- `column IN (...)`, is run by SQLite (3.54) by building a temporary table
-- of the values again for every row written, even a row whose column is
-- NULL: a third of the time of an import's restrictions. The same rules as
-- comparisons joined by OR mean the same (NULL still passes) and cost
-- nothing. Only the constraints' text changes and every stored row stays
-- valid, so the tables are edited in place, SQLite's documented way for
-- such a change (the store's schema version is raised by the upgrade:
-- schema.rs), instead of being made again.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'level IN (''supreme'', ''high'', ''intermediate'', ''basic'')',
    'level = ''supreme'' OR level = ''high'' OR level = ''intermediate'' OR level = ''basic''')
WHERE type = 'table' AND name = 'court';
UPDATE sqlite_schema SET sql = replace(sql,
    'role IN (''clerk'', ''officer'', ''supervisor'', ''admin'')',
    'role = ''clerk'' OR role = ''officer'' OR role = ''supervisor'' OR role = ''admin''')
WHERE type = 'table' AND name = 'officer';
UPDATE sqlite_schema SET sql = replace(sql,
    'carrier IN (''china-mobile'', ''china-unicom'', ''china-telecom'', ''unknown'')',
    'carrier = ''china-mobile'' OR carrier = ''china-unicom'' OR carrier = ''china-telecom'' OR carrier = ''unknown''')
WHERE type = 'table' AND name = 'phone';
UPDATE sqlite_schema SET sql = replace(sql,
    'role IN (''legal-representative'', ''principal'',
                                            ''directly-responsible'', ''actual-controller'')',
    'role = ''legal-representative'' OR role = ''principal'' OR role = ''directly-responsible'' OR role = ''actual-controller''')
WHERE type = 'table' AND name = 'responsible_person';
UPDATE sqlite_schema SET sql = replace(sql,
    'method IN (''cash'', ''transfer'', ''wage-deduction'',
                                         ''seized-assets'', ''before-import'')',
    'method = ''cash'' OR method = ''transfer'' OR method = ''wage-deduction'' OR method = ''seized-assets'' OR method = ''before-import''')
WHERE type = 'table' AND name = 'payment';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'status IN (''active'', ''lifted'', ''revoked'')',
    'status = ''active'' OR status = ''lifted'' OR status = ''revoked'''),
    'lifted_reason IN (
                        ''performed'', ''settlement-performed'', ''applicant-request'',
                        ''no-assets-found'', ''suspended'', ''not-to-enforce'',
                        ''enforcement-terminated'', ''period-ended'', ''wrongly-listed'')',
    'lifted_reason = ''performed'' OR lifted_reason = ''settlement-performed'' OR lifted_reason = ''applicant-request'' OR lifted_reason = ''no-assets-found'' OR lifted_reason = ''suspended'' OR lifted_reason = ''not-to-enforce'' OR lifted_reason = ''enforcement-terminated'' OR lifted_reason = ''period-ended'' OR lifted_reason = ''wrongly-listed''')
WHERE type = 'table' AND name = 'listing';
UPDATE sqlite_schema SET sql = replace(sql,
    'lifted_reason IN (''security-given'', ''applicant-agrees'', ''performed'',
                                                ''basis-lifted'', ''wrongly-imposed'')',
    'lifted_reason = ''security-given'' OR lifted_reason = ''applicant-agrees'' OR lifted_reason = ''performed'' OR lifted_reason = ''basis-lifted'' OR lifted_reason = ''wrongly-imposed''')
WHERE type = 'table' AND name = 'restriction';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'kind IN (''should-not-be-listed'', ''information-wrong'',
                                                     ''should-be-deleted'')',
    'kind = ''should-not-be-listed'' OR kind = ''information-wrong'' OR kind = ''should-be-deleted'''),
    'status IN (''pending'', ''upheld'', ''rejected'', ''withdrawn'')',
    'status = ''pending'' OR status = ''upheld'' OR status = ''rejected'' OR status = ''withdrawn''')
WHERE type = 'table' AND name = 'objection';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'channel IN (''call'', ''sms'', ''letter'', ''publication'')',
    'channel = ''call'' OR channel = ''sms'' OR channel = ''letter'' OR channel = ''publication'''),
    'purpose IN (''call-message'', ''sms-warning'', ''service'',
                                              ''publication'', ''lifting'', ''employer-notice'')',
    'purpose = ''call-message'' OR purpose = ''sms-warning'' OR purpose = ''service'' OR purpose = ''publication'' OR purpose = ''lifting'' OR purpose = ''employer-notice''')
WHERE type = 'table' AND name = 'notice_template';
UPDATE sqlite_schema SET sql = replace(sql,
    'channel IN (''call'', ''sms'', ''letter'', ''publication'')',
    'channel = ''call'' OR channel = ''sms'' OR channel = ''letter'' OR channel = ''publication''')
WHERE type = 'table' AND name = 'notice_batch';
UPDATE sqlite_schema SET sql = replace(replace(replace(replace(sql,
    'channel IN (''call'', ''sms'', ''letter'', ''publication'')',
    'channel = ''call'' OR channel = ''sms'' OR channel = ''letter'' OR channel = ''publication'''),
    'purpose IN (''call-message'', ''sms-warning'', ''service'',
                                                     ''publication'', ''lifting'', ''employer-notice'')',
    'purpose = ''call-message'' OR purpose = ''sms-warning'' OR purpose = ''service'' OR purpose = ''publication'' OR purpose = ''lifting'' OR purpose = ''employer-notice'''),
    'state IN (''queued'', ''exported'', ''sent'', ''failed'', ''cancelled'')',
    'state = ''queued'' OR state = ''exported'' OR state = ''sent'' OR state = ''failed'' OR state = ''cancelled'''),
    'state IN (''exported'', ''sent'', ''failed'')',
    'state = ''exported'' OR state = ''sent'' OR state = ''failed''')
WHERE type = 'table' AND name = 'notice';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'kind IN (''deletion-after-performance'', ''correction-after-objection'',
                                               ''objection-decision'', ''reconsideration-window'',
                                               ''reconsideration-decision'', ''period-end'')',
    'kind = ''deletion-after-performance'' OR kind = ''correction-after-objection'' OR kind = ''objection-decision'' OR kind = ''reconsideration-window'' OR kind = ''reconsideration-decision'' OR kind = ''period-end'''),
    'state IN (''open'', ''met'', ''cancelled'')',
    'state = ''open'' OR state = ''met'' OR state = ''cancelled''')
WHERE type = 'table' AND name = 'deadline';
UPDATE sqlite_schema SET sql = replace(sql,
    'state IN (''pending'', ''approved'', ''rejected'')',
    'state = ''pending'' OR state = ''approved'' OR state = ''rejected''')
WHERE type = 'table' AND name = 'approval';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'case_type IN (''执'', ''执恢'', ''执保'', ''执异'', ''执复'', ''执监'')',
    'case_type = ''执'' OR case_type = ''执恢'' OR case_type = ''执保'' OR case_type = ''执异'' OR case_type = ''执复'' OR case_type = ''执监'''),
    'status IN (''open'', ''performed'', ''terminated'', ''suspended'', ''not-enforced'')',
    'status = ''open'' OR status = ''performed'' OR status = ''terminated'' OR status = ''suspended'' OR status = ''not-enforced''')
WHERE type = 'table' AND name = 'enforcement_case';
PRAGMA writable_schema = RESET;

-- ---------------------------------------------------------------- version 10
-- A row's seal and its change number in one record (store/seal.rs,
-- store/sync/): each write to a legal row wrote both, under the same key,
-- to two tables, and an import paid for every row it loaded three B-tree
-- entries (seal, change, change by number) about as dear as the row.
-- seal: NULL once the row is deleted (its change number stays, as it did)
-- and for the audit log, which is not sealed; n: 0 for a row sealed before
-- the change clock began (version 5's backfill), which no export has held.
CREATE TABLE row_record (
    tbl  INTEGER NOT NULL,
    key  NOT NULL,
    seal INTEGER,
    n    INTEGER NOT NULL,
    PRIMARY KEY (tbl, key)
) WITHOUT ROWID;
INSERT INTO row_record (tbl, key, seal, n)
SELECT tbl, key, max(seal), max(n) FROM (
    SELECT tbl, key, seal, 0 AS n FROM row_seal
    UNION ALL
    SELECT tbl, key, NULL, n FROM sync_change)
GROUP BY tbl, key
ORDER BY tbl, key;
DROP TABLE row_seal;
DROP TABLE sync_change;
CREATE INDEX row_record_by_n ON row_record (n);

-- ---------------------------------------------------------------- version 11
-- A subject's restrictions by subject and status: the standing pass counts
-- each subject's active ones from the index alone, without reading every
-- restriction row (4.8 M at a million subjects: 6.0 s to 3.6). The list's
-- "restricted" filter reads the kept standing (store/standing.rs) through
-- a partial index of the restricted subjects, instead of an index of
-- every restriction by status, which cost an import a sort of them all.
DROP INDEX restriction_by_status;
DROP INDEX restriction_by_subject;
CREATE INDEX restriction_by_subject ON restriction (subject_id, status);
CREATE INDEX standing_restricted ON subject_standing (subject_id) WHERE active_restrictions > 0;

-- ---------------------------------------------------------------- version 12
-- Every list filter reads the kept standing, through a partial index of
-- the subjects it admits, in key order: a page is a range of that index.
-- "listed" and "objection pending" read the legal rows with DISTINCT,
-- which gathered and sorted every listed subject for each page (33 ms a
-- page at a million subjects, 75 ms for the last). "deadline due" read
-- a union of every open deadline, pending objection and active listing
-- due, sorted for each page (0.8 s at ten million subjects with 640,000
-- listings past their expiry); it compares the earliest clock with a
-- date that moves with the day, so store/read.rs reads along the keys
-- and falls back to the index of the clocks when few are due.
CREATE INDEX standing_listed ON subject_standing (subject_id) WHERE active_listings > 0;
CREATE INDEX standing_objection ON subject_standing (subject_id) WHERE pending_objections > 0;
CREATE INDEX standing_due ON subject_standing (next_due_on) WHERE next_due_on IS NOT NULL;
