package refstudy

import (
	"fmt"
	"github.com/gocarina/gocsv"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"

	"github.com/ccstudy/ccstudy/dataset"
	"gonum.org/v1/gonum/stat/distuv"
)

// The synthetic reference study. The thesis's company-level data was never
// published, so ccstudy generates a stand-in from the data-generating
// process (DGP) below, calibrated to the figures the thesis did publish.
// testdata/README.md documents every number here and says which come from
// the study and which are our choices.

// SimOptions controls Simulate. Every field is used as given (0 is a
// value, not "the default"): DefaultSimOptions is the reference design.
type SimOptions struct {
	// Seed drives every random draw; 0 is a seed like any other.
	Seed uint64
	// Population is the size of the source population.
	Population int
	// Cases and Controls are sampled without replacement; a case-control
	// study needs at least one of each.
	Cases, Controls int
	// NoProducts skips the products file (large recovery runs do not need it).
	NoProducts bool
}

// DefaultPopulation is the source population of the reference design.
const DefaultPopulation = 3000

// DefaultSimOptions is the reference design: the embedded data is
// exactly Simulate(DefaultSimOptions()).
func DefaultSimOptions() SimOptions {
	return SimOptions{Seed: DefaultSeed, Population: DefaultPopulation, Cases: ExpectCases, Controls: ExpectControls}
}

// DefaultSeed is the seed of the committed reference data (and the
// default --seed of every command): dataset.DefaultSeed.
const DefaultSeed = dataset.DefaultSeed

// StudyYears are the overseas years the products file spans.
const firstStudyYear, lastStudyYear = 2008, 2020

// productsPerYear is the number of internationalised products in each
// year from firstStudyYear to lastStudyYear for the reference design's
// ExpectCases cases. 2018 = 37 (the peak), 2019 and 2020 above 30, and
// the fastest growth in 2015–2018 come from the study; the other counts
// are our choice.
var productsPerYear = [lastStudyYear - firstStudyYear + 1]int{1, 1, 2, 2, 3, 4, 6, 9, 16, 26, 37, 33, 32}

// ProductsPerYear returns the planned number of internationalised
// products per overseas year of the reference design (a copy: the design
// is not to be changed by callers).
func ProductsPerYear() map[int]int { return ScaledProductsPerYear(ExpectCases) }

// ScaledProductsPerYear is the products schedule for a sample of cases
// cases: up to ExpectCases cases it is the reference schedule; above, each
// year's count is the reference count × cases / ExpectCases, rounded to
// the nearest integer (half away from zero), so products per case and
// the shape of the curve stay those of the study. A schedule that did not
// grow with the cases could not give every case its first product.
func ScaledProductsPerYear(cases int) map[int]int {
	plan := scaledSchedule(cases)
	out := make(map[int]int, len(plan))
	for i, n := range plan {
		out[firstStudyYear+i] = n
	}
	return out
}

// schedule holds one count per study year.
type schedule [lastStudyYear - firstStudyYear + 1]int

func scaledSchedule(cases int) schedule {
	plan := schedule(productsPerYear)
	if cases <= ExpectCases {
		return plan
	}
	for i, n := range plan {
		plan[i] = int(math.Round(float64(n) * float64(cases) / ExpectCases))
	}
	return plan
}

// planned is the count for year y (0 outside the study years).
func (p *schedule) planned(y int) int {
	if y < firstStudyYear || y > lastStudyYear {
		return 0
	}
	return p[y-firstStudyYear]
}

// TrueCoef is one coefficient of the DGP's logistic model, named as ccstudy
// names design-matrix columns.
type TrueCoef struct {
	Term  string  `json:"term"`
	LogOR float64 `json:"log_or"`
}

// TrueFormula is the formula of the DGP's logistic model.
const TrueFormula = "case ~ company_type + founder_background + rd_leader_background + dev_years + " +
	"log(rd_expenditure) + listed + product_source + novelty + orphan_drug + " +
	"company_type:novelty + listed:orphan_drug"

// TrueCoefficients returns the slopes of the DGP (the population
// intercept is TrueIntercept; case-control sampling changes only the
// intercept, so the slopes are what a fit to the sample estimates).
func TrueCoefficients() []TrueCoef {
	return []TrueCoef{
		{"company_type[traditional]", math.Log(0.9)},
		{"founder_background[domestic_scientist]", 0},
		{"founder_background[business]", 0},
		{"rd_leader_background[overseas_academic]", math.Log(2.0)},
		{"rd_leader_background[overseas_mnc]", math.Log(3.0)},
		{"dev_years", math.Log(1.12)},
		{"log(rd_expenditure)", math.Log(1.1)},
		{"listed", math.Log(1.2)},
		{"product_source[co_development]", math.Log(1.6)},
		{"product_source[in_house]", math.Log(2.5)},
		{"novelty[fast_follow]", math.Log(1.8)},
		{"novelty[first_in_class]", math.Log(4.0)},
		{"orphan_drug", math.Log(2.5)},
		{"company_type[traditional]:novelty[fast_follow]", 0},
		{"company_type[traditional]:novelty[first_in_class]", math.Log(0.4)},
		{"listed:orphan_drug", math.Log(2.2)},
	}
}

// TrueIntercept is the source population's intercept: with it about 14%
// of the population are cases (chosen; the study does not report the
// population prevalence).
const TrueIntercept = -5.3

// CompanyRecord is one row of companies.csv.
type CompanyRecord struct {
	CompanyID          string   `csv:"company_id"`
	Case               int      `csv:"case"`
	CompanyType        string   `csv:"company_type"`
	FoundedYear        int      `csv:"founded_year"`
	FounderBackground  string   `csv:"founder_background"`
	RDLeaderBackground string   `csv:"rd_leader_background"`
	DevYears           int      `csv:"dev_years"`
	RDExpenditure      oneDigit `csv:"rd_expenditure"`
	Listed             int      `csv:"listed"`
	ProductSource      string   `csv:"product_source"`
	Novelty            string   `csv:"novelty"`
	OrphanDrug         int      `csv:"orphan_drug"`
	MainIndication     string   `csv:"main_indication"`
	MainModality       string   `csv:"main_modality"`
	FirstOverseasYear  optYear  `csv:"first_overseas_year"`
}

// ProductRecord is one row of products.csv.
type ProductRecord struct {
	ProductID    string `csv:"product_id"`
	CompanyID    string `csv:"company_id"`
	OverseasYear int    `csv:"overseas_year"`
	Modality     string `csv:"modality"`
	Indication   string `csv:"indication"`
}

// oneDigit writes a number with one decimal, so the CSV is stable and
// reads like a spreadsheet of CNY millions.
type oneDigit float64

// MarshalCSV implements gocsv's TypeMarshaller.
func (v oneDigit) MarshalCSV() (string, error) {
	return strconv.FormatFloat(float64(v), 'f', 1, 64), nil
}

// optYear is a year that may be empty (controls have no overseas year).
type optYear int

// MarshalCSV implements gocsv's TypeMarshaller.
func (v optYear) MarshalCSV() (string, error) {
	if v == 0 {
		return "", nil
	}
	return strconv.Itoa(int(v)), nil
}

// Simulated is the output of Simulate.
type Simulated struct {
	Companies []CompanyRecord
	Products  []ProductRecord
}

// WriteCompanies writes companies.csv (columns from the csv struct tags,
// through gocsv, the project's CSV marshaller).
func (s *Simulated) WriteCompanies(w io.Writer) error { return gocsv.Marshal(s.Companies, w) }

// WriteProducts writes products.csv.
func (s *Simulated) WriteProducts(w io.Writer) error { return gocsv.Marshal(s.Products, w) }

// company is one member of the source population, before sampling. It
// is kept small (level indices, not labels): a population of 5·10^6 is
// held whole until the sample is drawn, and only the sampled members
// become CompanyRecords.
type company struct {
	caseProb      float64
	logRD         float64
	rdExpenditure oneDigit
	devYears      int32
	foundedYear   int32
	rdStart       int // first year of innovative-drug R&D
	firstOverseas int
	pos           int // position in the sample (CompanyID order)
	traditional   bool
	isCase        bool
	listed        uint8
	orphanDrug    uint8
	founder       uint8
	leader        uint8
	source        uint8
	novelty       uint8
	indication    uint8
	modality      uint8
}

// record is c's row of companies.csv, with the given ID.
func (c *company) record(id string) CompanyRecord {
	r := CompanyRecord{
		CompanyID:          id,
		CompanyType:        "biotech",
		FoundedYear:        int(c.foundedYear),
		FounderBackground:  founderLevels[c.founder],
		RDLeaderBackground: leaderLevels[c.leader],
		DevYears:           int(c.devYears),
		RDExpenditure:      c.rdExpenditure,
		Listed:             int(c.listed),
		ProductSource:      sourceLevels[c.source],
		Novelty:            noveltyLevels[c.novelty],
		OrphanDrug:         int(c.orphanDrug),
		MainIndication:     indicationLevels[c.indication],
		MainModality:       modalityLevels[c.modality],
		FirstOverseasYear:  optYear(c.firstOverseas),
	}
	if c.traditional {
		r.CompanyType = "traditional"
	}
	if c.isCase {
		r.Case = 1
	}
	return r
}

var (
	founderLevels    = []string{"returnee_scientist", "domestic_scientist", "business"}
	leaderLevels     = []string{"domestic", "overseas_academic", "overseas_mnc"}
	sourceLevels     = []string{"licensed_in", "co_development", "in_house"}
	noveltyLevels    = []string{"me_too", "fast_follow", "first_in_class"}
	indicationLevels = []string{"oncology", "infection", "metabolic", "autoimmune", "neurology", "cardiovascular", "other"}
	modalityLevels   = []string{"small_molecule", "antibody", "adc", "cell_therapy", "other"}
)

// Simulate draws a source population from the DGP, draws case status from
// the true logistic model, samples cases and controls without replacement
// and, for the cases, internationalised products whose yearly totals are
// ProductsPerYear().
func Simulate(opts SimOptions) (*Simulated, error) { return simulate(opts, trueCoefMap()) }

// simulate is Simulate with the slopes coef (by term; a term not in coef
// has slope 0).
func simulate(opts SimOptions, coef map[string]float64) (*Simulated, error) {
	model := newTrueModel(coef)
	if opts.Cases < 1 || opts.Controls < 1 {
		return nil, fmt.Errorf("simulate: %d cases and %d controls (expected at least one of each: a case-control study needs both)", opts.Cases, opts.Controls)
	}
	if opts.Population < opts.Cases+opts.Controls {
		return nil, fmt.Errorf("simulate: a source population of %d cannot give %d cases and %d controls (expected a population of at least %d)",
			opts.Population, opts.Cases, opts.Controls, opts.Cases+opts.Controls)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x63637374756479)) // "ccstudy"
	// One block for the whole population: millions of separately
	// allocated companies cost more in the allocator and the collector
	// than drawing them.
	block := make([]company, opts.Population)
	pop := make([]*company, opts.Population)
	for i := range pop {
		pop[i] = &block[i]
		drawCompany(rng, model, pop[i])
	}
	var cases, controls []*company
	for _, c := range pop {
		if rng.Float64() < c.caseProb {
			c.isCase = true
			cases = append(cases, c)
		} else {
			controls = append(controls, c)
		}
	}
	if len(cases) < opts.Cases || len(controls) < opts.Controls {
		return nil, fmt.Errorf("source population of %d has %d cases and %d controls; cannot sample %d and %d (enlarge the population)",
			opts.Population, len(cases), len(controls), opts.Cases, opts.Controls)
	}
	sample := append(sampleWithout(rng, cases, opts.Cases), sampleWithout(rng, controls, opts.Controls)...)
	rng.Shuffle(len(sample), func(i, j int) { sample[i], sample[j] = sample[j], sample[i] })
	width := len(strconv.Itoa(len(sample)))
	if width < 3 {
		width = 3
	}
	out := &Simulated{Companies: make([]CompanyRecord, len(sample))}
	ids := make([]string, len(sample))
	for i, c := range sample {
		ids[i] = fmt.Sprintf("C%0*d", width, i+1)
		c.pos = i
	}
	if !opts.NoProducts {
		var err error
		if out.Products, err = drawProducts(rng, sample, ids, scaledSchedule(opts.Cases)); err != nil {
			return nil, err
		}
	}
	for i, c := range sample {
		if !c.isCase || opts.NoProducts {
			c.firstOverseas = 0
		}
		out.Companies[i] = c.record(ids[i])
	}
	return out, nil
}

func sampleWithout(rng *rand.Rand, from []*company, n int) []*company {
	idx := rng.Perm(len(from))[:n]
	sort.Ints(idx) // keep population order so the draw depends only on the set
	out := make([]*company, n)
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

// cumulative returns the running sums of p, for pickCumulative.
func cumulative(p []float64) []float64 {
	cum := make([]float64, len(p))
	tot := 0.0
	for i, pi := range p {
		tot += pi
		cum[i] = tot
	}
	return cum
}

// pickCumulative is pick for many draws from one large distribution: a
// binary search of its running sums cum (cumulative) instead of a scan,
// so that hundreds of thousands of products among hundreds of thousands
// of active cases stay O(n log n). It takes one uniform, as pick does.
func pickCumulative(rng *rand.Rand, cum []float64) int {
	u := rng.Float64()
	i := sort.SearchFloat64s(cum, u)
	for i < len(cum) && cum[i] <= u { // SearchFloat64s finds cum[i] >= u; pick needs u < cum[i]
		i++
	}
	return min(i, len(cum)-1)
}

// pick draws an index with the given probabilities (they sum to 1).
func pick(rng *rand.Rand, p ...float64) int {
	u := rng.Float64()
	for i, pi := range p {
		if u < pi {
			return i
		}
		u -= pi
	}
	return len(p) - 1
}

func bernoulli(rng *rand.Rand, p float64) int {
	if rng.Float64() < p {
		return 1
	}
	return 0
}

// drawCompany draws one member of the source population into c.
func drawCompany(rng *rand.Rand, model *trueModel, c *company) {
	src := rngSource{rng}
	var devYears, founded int
	c.traditional = rng.Float64() < 0.30
	if c.traditional {
		c.founder = uint8(pick(rng, 0.15, 0.35, 0.50))
		devYears = 3 + int(distuv.Poisson{Lambda: 9, Src: src}.Rand())
		c.source = uint8(pick(rng, 0.40, 0.25, 0.35))
		c.novelty = uint8(pick(rng, 0.60, 0.30, 0.10))
		c.orphanDrug = uint8(bernoulli(rng, 0.08))
		c.indication = uint8(pick(rng, 0.38, 0.14, 0.14, 0.10, 0.08, 0.10, 0.06))
		c.modality = uint8(pick(rng, 0.62, 0.22, 0.06, 0.03, 0.07))
	} else {
		c.founder = uint8(pick(rng, 0.55, 0.30, 0.15))
		devYears = 2 + int(distuv.Poisson{Lambda: 6, Src: src}.Rand())
		c.source = uint8(pick(rng, 0.25, 0.20, 0.55))
		c.novelty = uint8(pick(rng, 0.35, 0.40, 0.25))
		c.orphanDrug = uint8(bernoulli(rng, 0.15))
		c.indication = uint8(pick(rng, 0.52, 0.07, 0.11, 0.13, 0.08, 0.04, 0.05))
		c.modality = uint8(pick(rng, 0.36, 0.38, 0.11, 0.11, 0.04))
	}
	if c.founder == 0 {
		c.leader = uint8(pick(rng, 0.25, 0.40, 0.35))
	} else {
		c.leader = uint8(pick(rng, 0.60, 0.15, 0.25))
	}
	if devYears > 40 {
		devYears = 40
	}
	rdStart := lastStudyYear - devYears
	founded = rdStart
	if c.traditional {
		founded -= 5 + int(distuv.Poisson{Lambda: 15, Src: src}.Rand())
	} else {
		founded -= int(distuv.Poisson{Lambda: 1, Src: src}.Rand())
	}
	c.devYears, c.rdStart, c.foundedYear = int32(devYears), rdStart, int32(founded)
	trad := 0.0
	if c.traditional {
		trad = 1
	}
	c.listed = uint8(bernoulli(rng, logistic(-2.2+0.1*float64(devYears)+0.8*trad)))
	c.logRD = 3.3 + 0.9*float64(c.listed) + 0.4*trad + 0.04*float64(devYears) + 0.8*rng.NormFloat64()
	c.rdExpenditure = oneDigit(math.Round(math.Exp(c.logRD)*10) / 10)
	if c.rdExpenditure < 0.1 {
		c.rdExpenditure = 0.1
	}
	c.logRD = math.Log(float64(c.rdExpenditure)) // the model sees what the CSV says
	c.caseProb = logistic(model.linearPredictor(c))
}

// trueCoefMap is TrueCoefficients by term, built once per Simulate so
// that a population of millions does not rebuild it per company.
func trueCoefMap() map[string]float64 {
	b := map[string]float64{}
	for _, t := range TrueCoefficients() {
		b[t.Term] = t.LogOR
	}
	return b
}

// trueModel holds the slopes of a coefficient map (trueCoefMap) by level,
// so that the linear predictor of millions of companies needs no map
// lookups or term names. A term missing from the map has slope 0, as a
// missing key reads 0 from the map.
type trueModel struct {
	traditional, devYears, logRD, listed, orphan, listedOrphan float64
	founder                                                    [3]float64
	leader                                                     [3]float64
	source                                                     [3]float64
	novelty, tradNovelty                                       [3]float64
}

func newTrueModel(b map[string]float64) *trueModel {
	m := &trueModel{
		traditional:  b["company_type[traditional]"],
		devYears:     b["dev_years"],
		logRD:        b["log(rd_expenditure)"],
		listed:       b["listed"],
		orphan:       b["orphan_drug"],
		listedOrphan: b["listed:orphan_drug"],
	}
	for l := 1; l < 3; l++ {
		m.founder[l] = b["founder_background["+founderLevels[l]+"]"]
		m.leader[l] = b["rd_leader_background["+leaderLevels[l]+"]"]
		m.source[l] = b["product_source["+sourceLevels[l]+"]"]
		nov := "novelty[" + noveltyLevels[l] + "]"
		m.novelty[l] = b[nov]
		m.tradNovelty[l] = b["company_type[traditional]:"+nov]
	}
	return m
}

// linearPredictor evaluates the true model for c; it mirrors
// TrueCoefficients, and its additions come in the order of the terms
// (the order fixes the rounding, and so the simulated study).
func (m *trueModel) linearPredictor(c *company) float64 {
	eta := TrueIntercept
	trad := c.traditional
	if trad {
		eta += m.traditional
	}
	if c.founder > 0 {
		eta += m.founder[c.founder]
	}
	if c.leader > 0 {
		eta += m.leader[c.leader]
	}
	eta += m.devYears * float64(c.devYears)
	eta += m.logRD * c.logRD
	eta += m.listed * float64(c.listed)
	if c.source > 0 {
		eta += m.source[c.source]
	}
	if c.novelty > 0 {
		eta += m.novelty[c.novelty]
		if trad {
			eta += m.tradNovelty[c.novelty]
		}
	}
	eta += m.orphan * float64(c.orphanDrug)
	eta += m.listedOrphan * float64(c.listed*c.orphanDrug)
	return eta
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// drawProducts gives every sampled case a first overseas year and then
// distributes the schedule plan (ScaledProductsPerYear) over the cases
// active in each year.
func drawProducts(rng *rand.Rand, sample []*company, ids []string, plan schedule) ([]ProductRecord, error) {
	plannedProducts := plan.planned
	var cases []*company
	for _, c := range sample {
		if c.isCase {
			cases = append(cases, c)
		}
	}
	// First overseas year: at least two years after R&D started, drawn with
	// weights proportional to that year's product count, so that new
	// entrants follow the products curve.
	for _, c := range cases {
		lo := max(firstStudyYear, c.rdStart+2)
		if lo > lastStudyYear {
			lo = lastStudyYear
		}
		var w []float64
		tot := 0.0
		for y := lo; y <= lastStudyYear; y++ {
			w = append(w, float64(plannedProducts(y)))
			tot += float64(plannedProducts(y))
		}
		for i := range w {
			w[i] /= tot
		}
		c.firstOverseas = lo + pick(rng, w...)
	}
	// Repair, year by year: a year with products but no active case pulls
	// the earliest eligible later entrant forward; a year with more entrants
	// than products pushes the excess (latest R&D start first) to next year.
	for y := firstStudyYear; y <= lastStudyYear; y++ {
		active := 0
		var entrants []*company
		for _, c := range cases {
			if c.firstOverseas < y {
				active++
			}
			if c.firstOverseas == y {
				entrants = append(entrants, c)
			}
		}
		if active+len(entrants) == 0 && plannedProducts(y) > 0 {
			var best *company
			for _, c := range cases {
				if c.rdStart+2 <= y && (best == nil || c.firstOverseas < best.firstOverseas) {
					best = c
				}
			}
			if best == nil {
				best = cases[0]
			}
			best.firstOverseas = y
			entrants = append(entrants, best)
		}
		if extra := len(entrants) - plannedProducts(y); extra > 0 {
			if y == lastStudyYear {
				return nil, fmt.Errorf("simulate: %d cases enter in %d but only %d products are planned", len(entrants), y, plannedProducts(y))
			}
			sort.SliceStable(entrants, func(i, j int) bool { return entrants[i].rdStart > entrants[j].rdStart })
			for _, c := range entrants[:extra] {
				c.firstOverseas = y + 1
			}
		}
	}
	var prods []ProductRecord
	for y := firstStudyYear; y <= lastStudyYear; y++ {
		var owners []*company
		var active []*company
		for _, c := range cases {
			if c.firstOverseas == y {
				owners = append(owners, c) // each entrant's first product
			}
			if c.firstOverseas <= y {
				active = append(active, c)
			}
		}
		// The remaining products go to active cases; biotechs and
		// first-in-class developers carry more programmes.
		w := make([]float64, len(active))
		tot := 0.0
		for i, c := range active {
			w[i] = 1
			if !c.traditional {
				w[i] += 0.5
			}
			if c.novelty == 2 {
				w[i] += 0.5
			}
			tot += w[i]
		}
		for i := range w {
			w[i] /= tot
		}
		cum := cumulative(w)
		for len(owners) < plannedProducts(y) {
			owners = append(owners, active[pickCumulative(rng, cum)])
		}
		year := make([]ProductRecord, len(owners))
		for i, c := range owners {
			year[i] = ProductRecord{
				CompanyID:    ids[c.pos],
				OverseasYear: y,
				Modality:     modalityLevels[drawLinked(rng, int(c.modality), 0.7, 0.40, 0.33, 0.10, 0.10, 0.07)],
				Indication:   indicationLevels[drawLinked(rng, int(c.indication), 0.7, 0.48, 0.10, 0.12, 0.11, 0.08, 0.06, 0.05)],
			}
		}
		// Within a year products are listed by company (stably, so a
		// company's products keep their draw order). Company IDs are
		// zero-padded sample positions, so position order is ID order;
		// sorting positions, not records, keeps 10^6 products fast.
		order := make([]int, len(owners))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return owners[a].pos - owners[b].pos })
		for _, i := range order {
			prods = append(prods, year[i])
		}
	}
	for i := range prods {
		prods[i].ProductID = fmt.Sprintf("P%03d", i+1)
	}
	return prods, nil
}

// drawLinked keeps the company's own level with probability keep and
// otherwise draws from the marginal distribution p.
func drawLinked(rng *rand.Rand, own int, keep float64, p ...float64) int {
	if rng.Float64() < keep {
		return own
	}
	return pick(rng, p...)
}

// rngSource lets gonum's distributions draw from the simulation's stream.
type rngSource struct{ r *rand.Rand }

func (s rngSource) Uint64() uint64 { return s.r.Uint64() }
