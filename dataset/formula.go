package dataset

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Variable is one variable of a formula: a field, optionally on the log
// scale.
type Variable struct {
	// Name is the field name.
	Name string
	// Log is true for log(Name).
	Log bool
}

// String returns the variable as written in a canonical formula:
// "dev_years" or "log(rd_expenditure)"; non-syntactic names are quoted
// with backticks as R does.
func (v Variable) String() string {
	n := quoteRName(v.Name)
	if v.Log {
		return "log(" + n + ")"
	}
	return n
}

// Term is one model term: a main effect (one variable) or an
// interaction (several), its variables in the formula's variable order.
type Term struct {
	Vars []Variable
}

// Label is R's term label: the variables joined by ":".
func (t Term) Label() string {
	parts := make([]string, len(t.Vars))
	for i, v := range t.Vars {
		parts[i] = v.String()
	}
	return strings.Join(parts, ":")
}

// Order is the number of variables in the term (R's attr(terms, "order")).
func (t Term) Order() int { return len(t.Vars) }

// Formula is a parsed model formula with R's term structure: the terms
// are expanded (a*b → a + b + a:b), duplicates removed, and sorted by
// order as R's terms() does.
type Formula struct {
	// Response is the left-hand side field, "" when the formula is "~ rhs".
	Response string
	// Intercept is false after "- 1" or "+ 0".
	Intercept bool
	// Vars lists the right-hand side variables in order of first
	// appearance, which is the order R uses inside term labels and for
	// the columns of an interaction.
	Vars []Variable
	// Terms are in R's order: main effects, then two-way interactions,
	// then higher orders, each group in order of appearance.
	Terms []Term
}

// Labels lists the term labels (R's attr(terms, "term.labels")).
func (f *Formula) Labels() []string {
	out := make([]string, len(f.Terms))
	for i, t := range f.Terms {
		out[i] = t.Label()
	}
	return out
}

// String prints the formula canonically: "case ~ a + b + a:b", with
// "- 1" when there is no intercept and "1" for an intercept-only model.
func (f *Formula) String() string {
	var b strings.Builder
	if f.Response != "" {
		b.WriteString(quoteRName(f.Response))
		b.WriteString(" ")
	}
	b.WriteString("~ ")
	labels := f.Labels()
	switch {
	case len(labels) == 0 && f.Intercept:
		b.WriteString("1")
	case len(labels) == 0:
		b.WriteString("0")
	default:
		b.WriteString(strings.Join(labels, " + "))
		if !f.Intercept {
			b.WriteString(" - 1")
		}
	}
	return b.String()
}

// FormulaError is a syntax error in a formula, located at a byte offset.
type FormulaError struct {
	Formula string
	// Pos is the 0-based byte offset of the offending fmlToken; the message
	// shows it as a 1-based column.
	Pos int
	Msg string
}

// Error shows the message, the formula and a caret under the offending
// column.
func (e *FormulaError) Error() string {
	pos := e.Pos
	if pos < 0 {
		pos = 0
	}
	if pos > len(e.Formula) {
		pos = len(e.Formula)
	}
	col := utf8.RuneCountInString(e.Formula[:pos])
	// The column goes before a trailing "(expected ...)" hint, so the
	// message reads: unexpected ")" at column 24 (expected a variable name).
	msg, hint := e.Msg, ""
	if k := strings.LastIndex(msg, " ("); k >= 0 && strings.HasSuffix(msg, ")") {
		msg, hint = msg[:k], msg[k:]
	}
	shown, caret := formulaWindow(e.Formula, pos, col)
	// A newline or tab in the formula (a shell line continuation) would
	// break the message over lines and misplace the caret: show each
	// control character as one space.
	shown = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, shown)
	return fmt.Sprintf("formula: %s at column %d%s\n  %s\n  %s^", msg, col+1, hint, shown, strings.Repeat(" ", caret))
}

// formulaWindowRunes is how many characters of a formula an error shows
// on each side of the offending column.
const formulaWindowRunes = 60

// formulaWindow is the part of the formula an error shows, with "…"
// where it was cut, and the caret's column in it: all of a formula of
// ordinary length, a window around pos of a longer one, so that the
// message stays bounded for a formula of any size.
func formulaWindow(f string, pos, col int) (string, int) {
	if utf8.RuneCountInString(f) <= 2*formulaWindowRunes {
		return f, col
	}
	start, prefix := pos, ""
	for k := 0; k < formulaWindowRunes && start > 0; k++ {
		_, w := utf8.DecodeLastRuneInString(f[:start])
		start -= w
	}
	if start > 0 {
		prefix = "…"
	}
	end, suffix := pos, ""
	for k := 0; k < formulaWindowRunes && end < len(f); k++ {
		_, w := utf8.DecodeRuneInString(f[end:])
		end += w
	}
	if end < len(f) {
		suffix = "…"
	}
	caret := utf8.RuneCountInString(prefix) + utf8.RuneCountInString(f[start:pos])
	return prefix + f[start:end] + suffix, caret
}

// ParseFormula parses an R-style model formula "outcome ~ rhs". The
// right-hand side joins terms with "+"; a term is a variable, log(var),
// an interaction a:b, a crossing a*b (a + b + a:b), a nesting a/b
// (a + a:b), a power (a + b + c)^2 (all interactions up to order 2), or
// a parenthesised group. "- term" removes a term, "- 1" and "+ 0" remove
// the intercept. Names that are not syntactic in R may be quoted with
// backticks, with \` and \\ for a backtick and a backslash inside.
//
// Any input ends promptly in a formula or a *FormulaError of bounded
// size: the expansion is bounded by
// maxFormulaTerms (10000) terms, the nesting by maxFormulaDepth (200)
// parentheses and a power by maxFormulaPower, each refused with its limit.
func ParseFormula(s string) (*Formula, error) {
	toks, err := tokenizeFormula(s)
	if err != nil {
		return nil, err
	}
	p := &formulaParser{src: s, toks: toks}
	f := &Formula{Intercept: true}

	tilde := -1
	for i, t := range toks {
		if t.kind == ftokTilde {
			if tilde >= 0 {
				return nil, p.errAt(t, fmt.Sprintf("unexpected %q", "~")+" (a formula has one ~)")
			}
			tilde = i
		}
	}
	if tilde < 0 {
		end := len(s)
		return nil, &FormulaError{Formula: s, Pos: end, Msg: "missing \"~\" (expected outcome ~ terms)"}
	}
	switch tilde {
	case 0:
	case 1:
		if toks[0].kind != ftokName {
			return nil, p.errAt(toks[0], fmt.Sprintf("unexpected %s", toks[0].describe())+" (expected the outcome variable name)")
		}
		f.Response = toks[0].text
	default:
		return nil, p.errAt(toks[1], fmt.Sprintf("unexpected %s", toks[1].describe())+" (the left-hand side is a single outcome variable)")
	}
	p.i = tilde + 1
	if p.peek().kind == ftokEOF {
		return nil, p.errAt(p.peek(), "missing terms after \"~\" (expected a variable name)")
	}
	val, err := p.parseSum()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != ftokEOF {
		return nil, p.errAt(t, fmt.Sprintf("unexpected %s", t.describe())+" (expected + or the end of the formula)")
	}
	if val.intercept == icptRemoved {
		f.Intercept = false
	}

	// Variables in order of first appearance in the text (R's
	// attr(terms, "variables") without the response).
	for _, v := range p.seen {
		if !v.Log && v.Name == f.Response {
			return nil, &FormulaError{Formula: s, Pos: p.seenPos[v], Msg: fmt.Sprintf("outcome %s used as a term", elideValue(quoteRName(v.Name)))}
		}
	}
	f.Vars = append(f.Vars, p.seen...)
	index := make(map[Variable]int, len(f.Vars))
	for i, v := range f.Vars {
		index[v] = i
	}
	terms := make([]Term, 0, len(val.terms))
	for _, set := range val.terms {
		idx := make([]int, 0, len(set))
		for v := range set {
			idx = append(idx, index[v])
		}
		sort.Ints(idx)
		t := Term{Vars: make([]Variable, len(idx))}
		for k, i := range idx {
			t.Vars[k] = f.Vars[i]
		}
		terms = append(terms, t)
	}
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].Order() < terms[j].Order() })
	f.Terms = terms
	return f, nil
}

// DefaultFormula builds the formula analyses use when the user gives
// none: the outcome field ~ every covariate field in schema order, each
// as CovariateTerms writes it.
func DefaultFormula(s *Schema) (string, error) {
	out := s.Outcome()
	if out == "" {
		return "", fmt.Errorf("schema %q marks no field with role %q (expected one outcome field)", s.Name, RoleOutcome)
	}
	rhs := CovariateTerms(s, Covariates(s))
	if len(rhs) == 0 {
		return "", fmt.Errorf("schema %q marks no field with role %q (expected at least one covariate)", s.Name, RoleCovariate)
	}
	return quoteRName(out) + " ~ " + strings.Join(rhs, " + "), nil
}

// Covariates lists the fields of s with role covariate, in schema order.
func Covariates(s *Schema) []string { return s.FieldsWithRole(RoleCovariate) }

// CovariateTerms writes each named field of s as a formula term: log(x)
// where the schema says "transform": "log", the name quoted with
// backticks where R would need it. A name that is not a field of s is
// kept as written (it may already be a term, such as "log(x)", and an
// unknown name is reported where the formula is used).
func CovariateTerms(s *Schema, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if f, ok := s.Field(n); ok {
			out[i] = Variable{Name: f.Name, Log: f.Transform == "log"}.String()
		}
	}
	return out
}

// ParseVariable reads a variable as the encoders take it: "name",
// "log(name)", the name optionally in backticks.
func ParseVariable(s string) (Variable, error) { return parseEncVariable(s) }

// ---- lexer ----

type fmlTokKind int

const (
	ftokEOF fmlTokKind = iota
	ftokName
	ftokNumber
	ftokTilde
	ftokPlus
	ftokMinus
	ftokStar
	ftokColon
	ftokSlash
	ftokCaret
	ftokLParen
	ftokRParen
)

type fmlToken struct {
	kind fmlTokKind
	text string
	pos  int
}

func (t fmlToken) describe() string {
	switch t.kind {
	case ftokEOF:
		return "end of formula"
	case ftokName:
		return fmt.Sprintf("name %q", elideValue(t.text))
	case ftokNumber:
		return fmt.Sprintf("number %s", elideValue(t.text))
	}
	return fmt.Sprintf("%q", t.text)
}

func isRNameStart(r rune) bool { return unicode.IsLetter(r) || r == '.' || r == '_' }
func isRNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_'
}

func tokenizeFormula(s string) ([]fmlToken, error) {
	var toks []fmlToken
	ops := map[rune]fmlTokKind{'~': ftokTilde, '+': ftokPlus, '-': ftokMinus, '*': ftokStar, ':': ftokColon,
		'/': ftokSlash, '^': ftokCaret, '(': ftokLParen, ')': ftokRParen}
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case ops[r] != 0:
			toks = append(toks, fmlToken{kind: ops[r], text: string(r), pos: i})
			i += w
		case r == '`':
			name, end, err := scanBacktickName(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, fmlToken{kind: ftokName, text: name, pos: i})
			i = end
		case r >= '0' && r <= '9':
			// Only ASCII digits make a number: the scan below reads bytes,
			// and a test with unicode.IsDigit here once let "١" (an
			// Arabic-Indic digit) match a number of zero bytes, so the
			// lexer never advanced.
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			toks = append(toks, fmlToken{kind: ftokNumber, text: s[i:j], pos: i})
			i = j
		case unicode.IsDigit(r):
			return nil, &FormulaError{Formula: s, Pos: i, Msg: fmt.Sprintf("unexpected digit %q (expected the digits 0-9 in a number, or a name in backticks)", string(r))}
		case isRNameStart(r):
			j := i
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !isRNameRune(r2) {
					break
				}
				j += w2
			}
			toks = append(toks, fmlToken{kind: ftokName, text: s[i:j], pos: i})
			i = j
		default:
			return nil, &FormulaError{Formula: s, Pos: i, Msg: fmt.Sprintf("unexpected %q (expected a variable name, a number or one of ~ + - * : / ^ and parentheses; a name with other characters goes in backticks)", string(r))}
		}
	}
	toks = append(toks, fmlToken{kind: ftokEOF, pos: len(s)})
	return toks, nil
}

// ---- formulaParser ----

// termSet is one term as a set of variables.
type termSet map[Variable]bool

func (t termSet) key() string {
	ks := make([]string, 0, len(t))
	for v := range t {
		ks = append(ks, v.String())
	}
	sort.Strings(ks)
	return strings.Join(ks, "\x00")
}

func termUnion(a, b termSet) termSet {
	out := make(termSet, len(a)+len(b))
	for v := range a {
		out[v] = true
	}
	for v := range b {
		out[v] = true
	}
	return out
}

const (
	icptUnset = iota
	icptAdded
	icptRemoved
)

// fmlValue is the meaning of a sub-expression: an ordered list of distinct
// terms and what it says about the intercept.
type fmlValue struct {
	terms     []termSet
	intercept int
}

func dedupeTerms(ts []termSet) []termSet {
	seen := make(map[string]bool, len(ts))
	out := ts[:0:0]
	for _, t := range ts {
		k := t.key()
		if !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// Bounds on what a formula may expand to. A model with more terms than
// maxFormulaTerms cannot be fitted to a case-control study anyway, and
// the bounds keep a short formula such as (a+b+...+z)^26 (2^26 terms)
// from exhausting memory before the fit could say so.
const (
	maxFormulaTerms = 10000
	// maxFormulaPairs bounds the term pairs one interaction builds
	// before duplicates are removed.
	maxFormulaPairs = 250000
	// maxFormulaDepth bounds the nesting of parentheses, so that the
	// recursive parser cannot exhaust the stack.
	maxFormulaDepth = 200
	// maxFormulaPower bounds n in (…)^n: n above the number of variables
	// changes nothing, and a formula has at most maxFormulaTerms of them.
	maxFormulaPower = maxFormulaTerms
)

// tooManyTerms is the error for a formula whose expansion passes the bound.
func (p *formulaParser) tooManyTerms(at fmlToken, n int) error {
	return p.errAt(at, fmt.Sprintf("too many terms: the formula expands to %d or more, above the limit of %d", n, maxFormulaTerms)+" (expected fewer interactions or a lower power)")
}

// interact forms every l:r of a term l of a and r of b, without
// duplicates, in order; at is the operator, for the message when the
// result passes the bounds.
func (p *formulaParser) interact(at fmlToken, a, b []termSet) ([]termSet, error) {
	if len(a)*len(b) > maxFormulaPairs {
		return nil, p.tooManyTerms(at, len(a)*len(b))
	}
	seen := make(map[string]bool, len(a)*len(b))
	out := make([]termSet, 0, len(a)*len(b))
	for _, l := range a {
		for _, r := range b {
			u := termUnion(l, r)
			if k := u.key(); !seen[k] {
				seen[k] = true
				out = append(out, u)
			}
		}
	}
	if len(out) > maxFormulaTerms {
		return nil, p.tooManyTerms(at, len(out))
	}
	return out, nil
}

// cross is R's a*b: a + b + a:b.
func (p *formulaParser) cross(at fmlToken, a, b []termSet) ([]termSet, error) {
	ab, err := p.interact(at, a, b)
	if err != nil {
		return nil, err
	}
	out := dedupeTerms(append(append(append([]termSet{}, a...), b...), ab...))
	if len(out) > maxFormulaTerms {
		return nil, p.tooManyTerms(at, len(out))
	}
	return out, nil
}

type formulaParser struct {
	src     string
	toks    []fmlToken
	i       int
	seen    []Variable
	seenPos map[Variable]int
	depth   int // parentheses open at the current position
}

func (p *formulaParser) peek() fmlToken { return p.toks[p.i] }
func (p *formulaParser) next() fmlToken {
	t := p.toks[p.i]
	if t.kind != ftokEOF {
		p.i++
	}
	return t
}

func (p *formulaParser) errAt(t fmlToken, msg string) error {
	return &FormulaError{Formula: p.src, Pos: t.pos, Msg: msg}
}

func (p *formulaParser) unexpected(t fmlToken, expected string) error {
	return p.errAt(t, fmt.Sprintf("unexpected %s (expected %s)", t.describe(), expected))
}

func (p *formulaParser) see(v Variable, pos int) {
	if p.seenPos == nil {
		p.seenPos = map[Variable]int{}
	}
	if _, ok := p.seenPos[v]; !ok {
		p.seenPos[v] = pos
		p.seen = append(p.seen, v)
	}
}

// parseSum: sum := ['-'] product { ('+'|'-') product }
func (p *formulaParser) parseSum() (fmlValue, error) {
	var acc fmlValue
	var accKeys map[string]bool // keys of acc.terms; nil when not built
	first := true
	for {
		op := ftokPlus
		if t := p.peek(); t.kind == ftokPlus || t.kind == ftokMinus {
			if first && t.kind == ftokPlus {
				return acc, p.unexpected(t, "a variable name")
			}
			op = t.kind
			p.next()
		} else if !first {
			return acc, nil
		}
		first = false
		start := p.peek()
		// An intercept marker is a bare 0 or 1 operand of + or -.
		if start.kind == ftokNumber {
			nt := p.toks[p.i+1].kind
			if nt == ftokPlus || nt == ftokMinus || nt == ftokEOF || nt == ftokRParen {
				p.next()
				var add bool
				switch start.text {
				case "1":
					add = true
				case "0":
				default:
					return acc, p.errAt(start, fmt.Sprintf("unexpected number %s (only 0 or 1 may stand alone, to drop or keep the intercept)", elideValue(start.text)))
				}
				if op == ftokMinus {
					add = !add
				}
				if add {
					acc.intercept = icptAdded
				} else {
					acc.intercept = icptRemoved
				}
				continue
			}
		}
		v, err := p.parseProduct()
		if err != nil {
			return acc, err
		}
		if v.intercept != icptUnset {
			acc.intercept = v.intercept
		}
		if op == ftokPlus {
			// The keys of the terms so far are kept, so that a sum of
			// many terms is linear rather than quadratic in their number.
			if accKeys == nil {
				accKeys = make(map[string]bool, len(acc.terms))
				for _, t := range acc.terms {
					accKeys[t.key()] = true
				}
			}
			for _, t := range v.terms {
				if k := t.key(); !accKeys[k] {
					accKeys[k] = true
					acc.terms = append(acc.terms, t)
				}
			}
			if len(acc.terms) > maxFormulaTerms {
				return acc, p.tooManyTerms(start, len(acc.terms))
			}
			continue
		}
		drop := make(map[string]bool, len(v.terms))
		for _, t := range v.terms {
			drop[t.key()] = true
		}
		kept := acc.terms[:0:0]
		for _, t := range acc.terms {
			if !drop[t.key()] {
				kept = append(kept, t)
			}
		}
		acc.terms = kept
		accKeys = nil
	}
}

// parseProduct: product := colon { ('*'|'/') colon }
// (R's precedence: ^ binds tighter than :, which binds tighter than * and /.)
func (p *formulaParser) parseProduct() (fmlValue, error) {
	left, err := p.parseColon()
	if err != nil {
		return left, err
	}
	for {
		t := p.peek()
		if t.kind != ftokStar && t.kind != ftokSlash {
			return left, nil
		}
		p.next()
		right, err := p.parseColon()
		if err != nil {
			return left, err
		}
		if t.kind == ftokStar {
			if left.terms, err = p.cross(t, left.terms, right.terms); err != nil {
				return left, err
			}
		} else {
			// R's a/b: a + (all variables of a):b.
			all := termSet{}
			for _, s := range left.terms {
				all = termUnion(all, s)
			}
			nested, err := p.interact(t, []termSet{all}, right.terms)
			if err != nil {
				return left, err
			}
			left.terms = dedupeTerms(append(append([]termSet{}, left.terms...), nested...))
			if len(left.terms) > maxFormulaTerms {
				return left, p.tooManyTerms(t, len(left.terms))
			}
		}
		if right.intercept != icptUnset {
			left.intercept = right.intercept
		}
	}
}

// parsePower: power := primary [ '^' integer ]
func (p *formulaParser) parsePower() (fmlValue, error) {
	v, err := p.parsePrimary()
	if err != nil {
		return v, err
	}
	if p.peek().kind != ftokCaret {
		return v, nil
	}
	p.next()
	t := p.next()
	n := 0
	if t.kind == ftokNumber {
		var err error
		n, err = strconv.Atoi(t.text)
		switch {
		case errors.Is(err, strconv.ErrRange):
			return v, p.errAt(t, fmt.Sprintf("power %s is too large (expected a whole number up to %d; a power above the number of variables changes nothing)", elide(t.text, 40), maxFormulaPower))
		case err != nil || strconv.Itoa(n) != t.text:
			n = 0
		case n > maxFormulaPower:
			return v, p.errAt(t, fmt.Sprintf("power %d is too large (expected a whole number up to %d; a power above the number of variables changes nothing)", n, maxFormulaPower))
		}
	}
	if n < 1 {
		return v, p.unexpected(t, "a positive whole number after ^")
	}
	// (a + b)^n only ever adds terms, and once a crossing adds none the
	// set is final: stop there rather than crossing n-1 times, which for
	// listed^1000000 took seconds to change nothing.
	base := v.terms
	for k := 1; k < n; k++ {
		crossed, err := p.cross(t, v.terms, base)
		if err != nil {
			return v, err
		}
		stable := len(crossed) == len(v.terms)
		v.terms = crossed
		if stable {
			break
		}
	}
	return v, nil
}

// parseColon: colon := power { ':' power }
func (p *formulaParser) parseColon() (fmlValue, error) {
	left, err := p.parsePower()
	if err != nil {
		return left, err
	}
	for p.peek().kind == ftokColon {
		t := p.next()
		right, err := p.parsePower()
		if err != nil {
			return left, err
		}
		if left.terms, err = p.interact(t, left.terms, right.terms); err != nil {
			return left, err
		}
		if right.intercept != icptUnset {
			left.intercept = right.intercept
		}
	}
	return left, nil
}

// parsePrimary: name | log '(' name ')' | '(' sum ')'
func (p *formulaParser) parsePrimary() (fmlValue, error) {
	t := p.next()
	switch t.kind {
	case ftokName:
		if p.peek().kind == ftokLParen {
			if t.text != "log" {
				return fmlValue{}, p.errAt(t, fmt.Sprintf("unknown function %s() (expected log(), the one function formulas take)", elideValue(t.text)))
			}
			p.next()
			arg := p.next()
			if arg.kind != ftokName {
				return fmlValue{}, p.unexpected(arg, "a variable name")
			}
			if c := p.next(); c.kind != ftokRParen {
				return fmlValue{}, p.unexpected(c, "\")\" after log(name")
			}
			v := Variable{Name: arg.text, Log: true}
			p.see(v, t.pos)
			return fmlValue{terms: []termSet{{v: true}}}, nil
		}
		v := Variable{Name: t.text}
		p.see(v, t.pos)
		return fmlValue{terms: []termSet{{v: true}}}, nil
	case ftokLParen:
		if p.peek().kind == ftokRParen {
			return fmlValue{}, p.unexpected(p.peek(), "a variable name")
		}
		if p.depth >= maxFormulaDepth {
			return fmlValue{}, p.errAt(t, fmt.Sprintf("parentheses nested more than %d deep (expected a simpler formula)", maxFormulaDepth))
		}
		p.depth++
		v, err := p.parseSum()
		p.depth--
		if err != nil {
			return v, err
		}
		if c := p.next(); c.kind != ftokRParen {
			return v, p.unexpected(c, "\")\"")
		}
		return v, nil
	case ftokNumber:
		return fmlValue{}, p.errAt(t, fmt.Sprintf("unexpected number %s (0 or 1 may only stand alone between + and -)", elideValue(t.text)))
	}
	return fmlValue{}, p.unexpected(t, "a variable name")
}

// QuoteName writes a field name as a formula must: as is when it is
// syntactic in R, else in backticks with ` and \ escaped (R's deparse),
// so that names such as "case status", "a:b" or "log(x)" parse back to
// themselves. Code that builds formula text from names uses it.
func QuoteName(name string) string { return quoteRName(name) }

// quoteRName wraps a name that is not syntactic in R in backticks,
// escaping backticks and backslashes inside it with a backslash as R's
// deparse() does (`a\`b`), so that every field name, however odd
// ("a:b", "log(x)", "a`b"), survives a round trip through a formula
// ccstudy builds.
func quoteRName(s string) string {
	for i, r := range s {
		if !isRNameRune(r) || (i == 0 && !isRNameStart(r)) {
			return "`" + escapeBacktickName(s) + "`"
		}
	}
	if s == "" {
		return "``"
	}
	return s
}

// escapeBacktickName escapes \ and ` for use between backticks.
func escapeBacktickName(s string) string {
	if !strings.ContainsAny(s, "`\\") {
		return s
	}
	// Byte by byte, since both marks are ASCII: ranging over runes
	// would turn a byte that is not UTF-8 into U+FFFD and change the name.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '`' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// scanBacktickName reads the backtick-quoted name that starts at s[i]
// and returns it unescaped (\` is a backtick, \\ a backslash, any other
// backslash stands for itself) with the offset just past the closing
// backtick.
func scanBacktickName(s string, i int) (name string, end int, err error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '`':
			if b.Len() == 0 {
				return "", 0, &FormulaError{Formula: s, Pos: i, Msg: "empty name `` (expected a variable name)"}
			}
			return b.String(), j + 1, nil
		case c == '\\' && j+1 < len(s) && (s[j+1] == '`' || s[j+1] == '\\'):
			b.WriteByte(s[j+1])
			j++
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, &FormulaError{Formula: s, Pos: i, Msg: "unterminated ` (expected a closing backtick)"}
}

// unquoteBacktickName undoes quoteRName on a whole string: "`a\`b`" is
// "a`b"; a string that is not one backtick-quoted name is returned as is.
func unquoteBacktickName(s string) string {
	if len(s) < 2 || s[0] != '`' {
		return s
	}
	name, end, err := scanBacktickName(s, 0)
	if err != nil || end != len(s) {
		return s
	}
	return name
}
