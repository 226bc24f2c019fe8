package logit

import "github.com/ccstudy/ccstudy/internal/choice"

// The closed sets of option values of this package. Each type implements
// pflag.Value (String, Set, Type), so a command-line flag of that type
// refuses a bad value while flags are parsed and lists the valid ones,
// and Choices for shell completion. The spelling is the JSON value.

// Method is how a model is fitted: maximum likelihood (Fit, R's glm),
// Firth's penalized likelihood (FitFirth, logistf), auto (FitAuto: MLE,
// Firth under separation) or the exact conditional likelihood
// (FitConditional, survival::clogit). A Model's Method is the one
// actually used, never auto.
type Method string

// Methods.
const (
	MethodMLE    Method = "mle"
	MethodFirth  Method = "firth"
	MethodAuto   Method = "auto"
	MethodClogit Method = "clogit"
)

// Methods lists the methods a user chooses between (conditional fits
// follow from matched data, not from this choice).
func Methods() []Method { return []Method{MethodMLE, MethodFirth, MethodAuto} }

func (m Method) String() string      { return string(m) }
func (m *Method) Set(s string) error { return choice.Set(m, s, Methods()) }

// Type is pflag's name for the value in help texts.
func (Method) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (Method) Choices() []string { return choice.Strings(Methods()) }

// CI is the kind of confidence interval: profile likelihood (R's confint
// of a glm; penalized profile for Firth, as logistf) or Wald
// (confint.default).
type CI string

// CI kinds.
const (
	CIProfile CI = "profile"
	CIWald    CI = "wald"
)

// CIs lists the valid kinds of interval.
func CIs() []CI { return []CI{CIProfile, CIWald} }

func (c CI) String() string      { return string(c) }
func (c *CI) Set(s string) error { return choice.Set(c, s, CIs()) }

// Type is pflag's name for the value in help texts.
func (CI) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (CI) Choices() []string { return choice.Strings(CIs()) }

// Criterion is the rule of an exploratory selection: backward by AIC
// (StepAIC, R's step) or forward by likelihood-ratio tests (ForwardLR, as
// SPSS). The empty Criterion means no selection.
type Criterion string

// Criteria.
const (
	SelectAIC Criterion = "aic"
	SelectLR  Criterion = "lr"
)

// Criteria lists the valid selection rules.
func Criteria() []Criterion { return []Criterion{SelectAIC, SelectLR} }

func (c Criterion) String() string      { return string(c) }
func (c *Criterion) Set(s string) error { return choice.Set(c, s, Criteria()) }

// Type is pflag's name for the value in help texts.
func (Criterion) Type() string { return "string" }

// Choices lists the valid values for shell completion.
func (Criterion) Choices() []string { return choice.Strings(Criteria()) }

// DefaultLevel is the confidence level of a zero Options (R's 0.95).
const DefaultLevel = 0.95
