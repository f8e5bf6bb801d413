-- Courts the store does not know yet; the level follows the code's length
-- (豫 high, 豫01 intermediate, 豫0185 basic). The import's courts were noted
-- as its rows were staged (courts.rs).
INSERT INTO court (id, code, name, level)
SELECT :base + row_number() OVER (ORDER BY length(code), code) - 1, code, name,
       CASE length(code) WHEN 1 THEN 'high' WHEN 3 THEN 'intermediate' ELSE 'basic' END
FROM temp.import_court i
WHERE NOT EXISTS (SELECT 1 FROM court c WHERE c.code = i.code)
