-- The first row of each obligation and each listing, from the row link
-- (link.sql); made after the search index's sources are handed over,
-- since nothing there reads them.

-- The first row of each obligation (case, debtor, description): rows are
-- staged in file and line order, so walking them in row order and keeping
-- each obligation's first is one pass, where a window over them sorted
-- every row with its facts by obligation. Listed in row order.
DROP TABLE IF EXISTS temp.import_obligation;
CREATE TEMP TABLE import_obligation (
    case_id INTEGER NOT NULL, subject_id INTEGER NOT NULL, obligation TEXT NOT NULL,
    amount_fen INTEGER, paid_fen INTEGER, file INTEGER NOT NULL, line INTEGER NOT NULL,
    UNIQUE (case_id, subject_id, obligation));
INSERT OR IGNORE INTO temp.import_obligation
SELECT k.case_id, k.subject_id, r.obligation, r.amount_fen, r.paid_fen, r.file, r.line
FROM temp.import_row r CROSS JOIN temp.import_link k ON k.row = r.rowid
ORDER BY r.rowid;

-- The first row of each listing (debtor, case, ground, date), likewise.
DROP TABLE IF EXISTS temp.import_listing;
CREATE TEMP TABLE import_listing (
    subject_id INTEGER NOT NULL, case_id INTEGER NOT NULL, case_number TEXT NOT NULL,
    ground INTEGER NOT NULL, listed_on TEXT NOT NULL, years INTEGER, expires_on TEXT,
    UNIQUE (subject_id, case_id, ground, listed_on));
INSERT OR IGNORE INTO temp.import_listing
SELECT k.subject_id, k.case_id, r.case_number, r.ground, r.listed_on, r.years, r.expires_on
FROM temp.import_row r CROSS JOIN temp.import_link k ON k.row = r.rowid
WHERE r.listed_on IS NOT NULL
ORDER BY r.rowid;
