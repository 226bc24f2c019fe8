#!/usr/bin/env python3
"""Writes the small malformed inputs of the bad-input corpus (cases.json).

Each file is base.csv / base.schema.json (one folder up) with one defect,
so a case's message points at that defect alone. Run from this folder:
    python3 make_inputs.py
Large inputs (a 10 MB cell, 10^5 columns, 10^4-term formulas) are made by
cmd/ccstudy/bad_test.go in a temporary folder instead of being committed.
"""
import copy
import json

base = open("../base.csv", newline="").read()
lines = base.split("\n")
header, rows = lines[0], [l for l in lines[1:] if l]
schema = json.load(open("../base.schema.json"))


def csv_text(hdr, rs):
    return "\n".join([hdr] + rs) + "\n"


def put(name, content):
    if isinstance(content, str):
        content = content.encode("utf-8")
    with open(name, "wb") as f:
        f.write(content)


def cell(row, col, value, nrows=20):
    """The first nrows rows of base.csv with one cell (0-based data row) replaced."""
    rs = list(rows[:nrows])
    f = rs[row].split(",")
    f[col] = value
    rs[row] = ",".join(f)
    return csv_text(header, rs)


small = csv_text(header, rows[:20])

# loader: quoting and bytes
put("unbalanced_quote.csv", cell(4, 0, '"U005'))
put("quote_inside.csv", cell(4, 0, 'U0"05'))
put("embedded_newline.csv", cell(4, 3, '"dev\nice"'))
put("nul_byte.csv", cell(4, 3, "dev\x00ice"))
put("utf16.csv", b"\xff\xfe" + small.encode("utf-16-le"))
put("gbk.csv", cell(4, 3, "生物技术").encode("gbk"))
put("latin1.csv", cell(4, 3, "d\xe9vice").encode("latin-1"))
put("xlsx_renamed.csv", b"PK\x03\x04" + b"\x00" * 40)
# loader: numbers
put("num_1e308.csv", cell(4, 2, "1e308"))
put("num_1e309.csv", cell(4, 2, "1e309"))
put("num_negzero.csv", cell(4, 2, "-0"))
put("num_nan.csv", cell(4, 2, "NaN"))
put("num_inf.csv", cell(4, 2, "Inf"))
put("num_thousands.csv", cell(4, 2, '"1,234.5"'))
put("num_thousands_int.csv", cell(4, 4, '"1,234"'))
put("num_hex.csv", cell(4, 2, "0x1F"))
put("num_padded.csv", cell(4, 4, " 3 "))
put("num_na_text.csv", cell(4, 2, "N/A"))
put("num_comma_decimal.csv", cell(4, 2, '"44,2"'))
put("num_percent.csv", cell(4, 2, "44%"))
put("int_fraction.csv", cell(4, 4, "3.5"))
put("unicode_digit.csv", cell(4, 4, "١٢"))
put("outcome_two.csv", cell(4, 1, "2"))
put("outcome_empty.csv", cell(4, 1, ""))
put("outcome_yes.csv", cell(4, 1, "yes"))
# loader: categories and keys
rs = list(rows)
f = rs[141].split(",")
f[3] = "biotec"
rs[141] = ",".join(f)
put("misspelt_row143.csv", csv_text(header, rs))
put("category_case.csv", cell(4, 3, "Pharma"))
put("duplicate_id.csv", cell(4, 0, "U001"))
put("empty_id.csv", cell(4, 0, ""))
# loader: shape
put("ragged_long.csv", cell(4, 4, "3,9"))
put("ragged_short.csv", csv_text(header, rows[:4] + [",".join(rows[4].split(",")[:3])] + rows[5:20]))
put("semicolons.csv", small.replace(",", ";"))
put("tabs.csv", small.replace(",", "\t"))
put("title_row.csv", "Survey of companies, 2021,,,,\n".replace(", 2021", "") + small)
put("title_row_alone.csv", "Survey of companies\n" + small)
put("cr_only.csv", small.replace("\n", "\r"))
put("crlf.csv", small.replace("\n", "\r\n"))
put("empty.csv", "")
put("blank_lines.csv", "\n\n  \n")
put("header_only.csv", header + "\n")
put("header_case.csv", small.replace("id,case,", "id,Case,", 1))
put("header_space.csv", small.replace("id,case,", "id, case ,", 1))
put("header_bom.csv", "\ufeff" + small)
put("header_bom_inside.csv", small.replace("id,case,", "id,\ufeffcase,", 1))
put("header_duplicate.csv", small.replace("id,case,age,sector,size", "id,case,age,sector,size,age", 1).replace("\n", ",1\n").replace("size,age,1", "size,age", 1))
put("header_missing_col.csv", "\n".join(",".join(l.split(",")[:4]) for l in small.split("\n") if l) + "\n")
put("header_typo.csv", small.replace("sector", "sectr", 1))
put("extra_column.csv", "\n".join(l + ",x" for l in small.split("\n") if l) + "\n")

# schemas
def schema_with(edit):
    s = copy.deepcopy(schema)
    edit(s)
    return json.dumps(s, indent=1)

put("schema_deep.json", '{"fields":' + "[" * 100000 + "]" * 100000 + "}")
put("schema_type_number.json", schema_with(lambda s: s["fields"][2].__setitem__("type", 5)))
put("schema_type_unknown.json", schema_with(lambda s: s["fields"][2].__setitem__("type", "float")))
put("schema_unknown_key.json", schema_with(lambda s: s["fields"][2].__setitem__("rol", "covariate")))
put("schema_unknown_top.json", schema_with(lambda s: s.__setitem__("feilds", [])))
put("schema_dup_category.json", schema_with(lambda s: s["fields"][3].__setitem__("categories", ["pharma", "biotech", "pharma"])))
put("schema_empty_categories.json", schema_with(lambda s: s["fields"][3].__setitem__("categories", [])))
put("schema_dup_field.json", schema_with(lambda s: s["fields"].append(dict(s["fields"][2]))))
put("schema_min_above_max.json", schema_with(lambda s: s["fields"][2].__setitem__("constraints", {"minimum": 50, "maximum": 10})))
put("schema_max_violated.json", schema_with(lambda s: s["fields"][2].__setitem__("constraints", {"maximum": 50})))
put("schema_bad_role.json", schema_with(lambda s: s["fields"][2].__setitem__("role", "predictor")))
put("schema_two_outcomes.json", schema_with(lambda s: s["fields"][4].__setitem__("role", "outcome")))
put("schema_bad_pattern.json", schema_with(lambda s: s["fields"][0].__setitem__("constraints", {"pattern": "(["})))
put("schema_primary_key.json", schema_with(lambda s: s.__setitem__("primaryKey", "nope")))
put("schema_fields_object.json", schema_with(lambda s: s.__setitem__("fields", {})))
put("schema_no_fields.json", '{"name": "x"}\n')
put("schema_list.json", "[1, 2]\n")
put("schema_truncated.json", json.dumps(schema)[:-5])
put("schema_empty.json", "")
put("schema_bom.json", "\ufeff" + json.dumps(schema, indent=1))
put("schema_operator_name.json", schema_with(lambda s: s["fields"][4].__setitem__("name", "a:b")))
put("operator_name.csv", small.replace("sector,size", "sector,a:b", 1))
put("schema_log_name.json", schema_with(lambda s: s["fields"][4].__setitem__("name", "log(x)")))
put("log_name.csv", small.replace("sector,size", "sector,log(x)", 1))

# analyses on degenerate data (200 rows of base.csv, edited)
def column(col, f):
    out = []
    for i, r in enumerate(rows):
        c = r.split(",")
        c[col] = f(i, c)
        out.append(",".join(c))
    return csv_text(header, out)

put("all_controls.csv", column(1, lambda i, c: "0"))
put("all_cases.csv", column(1, lambda i, c: "1"))
put("one_row.csv", csv_text(header, rows[:1]))
put("two_rows.csv", csv_text(header, rows[:2]))
put("sector_separates.csv", column(3, lambda i, c: "pharma" if c[1] == "1" else "device"))

# added with the second round of cases
put("category_na_text.csv", cell(4, 3, "N/A"))
put("empty_row.csv", csv_text(header, rows[:4] + [",,,,"] + rows[5:20]))
put("bom_only.csv", "\ufeff")
put("schema_backtick_name.json", schema_with(lambda s: s["fields"][4].__setitem__("name", "size `n`")))
put("backtick_name.csv", small.replace("sector,size", "sector,size `n`", 1))
