package figures

// ForestRow is one term of a forest plot.
type ForestRow struct {
	Label          string
	OR, Low, High  float64
	Note           string
}

type SubgroupPanel struct {
	Variable     string
	InteractionP float64
	Rows         []ForestRow
}
