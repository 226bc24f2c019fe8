package analysis

import (
	"strings"

	"github.com/ccstudy/ccstudy/dataset"
	"github.com/ccstudy/ccstudy/internal/i18n"
	"github.com/ccstudy/ccstudy/logit"
)

// labeler turns the codes of a result (variable names, category values,
// design-column names such as "sex[male]:log(age)") into the display
// text of the schema in one language: field titles and category labels.
// Codes stay the keys; labels are only shown beside them.
type labeler struct {
	schema *dataset.Schema
	lang   string
}

// variable is the display title of field name (the name itself when
// the schema does not know it).
func (l labeler) variable(name string) string {
	if l.schema != nil {
		if f, ok := l.schema.Field(name); ok {
			return f.DisplayTitle(l.lang)
		}
	}
	return name
}

// term is the display text of a design column or model term: each factor
// "x" becomes the field's title, "log(x)" "log(<title>)", "x[level]"
// "<title>: <level label>", and the factors of an interaction are joined
// by " × ". The column name is matched against the schema's own spelling
// of every factor (dataset's "name[level]"), so a level code holding ":"
// or "[" is still read correctly; a name that matches no field is shown
// as it is.
func (l labeler) term(name string) string {
	if name == "(Intercept)" {
		return i18n.T(l.lang, "(Intercept)")
	}
	if l.schema == nil {
		return name
	}
	if parts, ok := l.factors(name); ok {
		return strings.Join(parts, " × ")
	}
	return name
}

// factors splits name into the labels of its factors, or reports that it
// is not a product of the schema's variables.
func (l labeler) factors(name string) ([]string, bool) {
	if name == "" {
		return nil, true
	}
	best, bestLabel := 0, ""
	for _, f := range l.schema.Fields {
		for _, lg := range []bool{false, true} {
			v := dataset.Variable{Name: f.Name, Log: lg}.String()
			title := f.DisplayTitle(l.lang)
			if lg {
				title = "log(" + title + ")"
			}
			if f.IsCategorical() && !lg {
				for _, c := range f.Categories {
					p := v + "[" + c.Name() + "]"
					if len(p) > best && factorAt(name, p) {
						best, bestLabel = len(p), title+": "+c.DisplayLabel(l.lang)
					}
				}
			}
			if len(v) > best && factorAt(name, v) {
				best, bestLabel = len(v), title
			}
		}
	}
	if best == 0 {
		return nil, false
	}
	rest := strings.TrimPrefix(name[best:], ":")
	more, ok := l.factors(rest)
	if !ok {
		return nil, false
	}
	return append([]string{bestLabel}, more...), true
}

// factorAt reports whether name starts with the factor p followed by the
// end or ":".
func factorAt(name, p string) bool {
	return strings.HasPrefix(name, p) && (len(name) == len(p) || name[len(p)] == ':')
}

// labelTerms fills the Label of every coefficient row.
func (l labeler) labelTerms(ts []logit.Term) {
	for i := range ts {
		ts[i].Label = l.term(ts[i].Term)
	}
}

// labelModel labels the coefficient rows of m.
func (l labeler) labelModel(m *logit.Model) {
	if m != nil {
		l.labelTerms(m.Terms)
	}
}
