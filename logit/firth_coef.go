package logit

// FirthCoef is FitFirth's penalized estimate alone (the same iteration
// from the same start, so the same numbers), without the standard errors,
// tests, profile limits and null fits FitFirth adds: for callers that
// need only β̂, such as FirthBlockTest's beta argument in a simulation.
// converged is false when the iteration stopped at opts.MaxIter.
func FirthCoef(d *Design, opts Options) (beta []float64, converged bool, err error) {
	if err := fthValidate(d); err != nil {
		return nil, false, err
	}
	if err := fthCheckOptions(opts); err != nil {
		return nil, false, err
	}
	opts = fthDefaults(opts)
	fp := newFirthProblem(d.X, d.Y)
	res, err := fp.fit(make([]float64, fp.p), nil, opts)
	if err != nil {
		return nil, false, err
	}
	return res.beta, res.converged, nil
}
