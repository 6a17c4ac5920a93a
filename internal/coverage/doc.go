// Package coverage owns coverage policies and their evaluation: versioned
// policy files with cited rules (compute thresholds, revenue, capability
// results, authorities' designations), strict loading with positioned lint
// problems, the built-in policies, and Evaluate, which turns a model
// version's facts and designations into an outcome (covered,
// presumed_covered, recommend_consultation, not_covered or indeterminate)
// with the rules that matched.
//
// Coverage is advisory. Nothing in this package decides whether a developer
// may submit a model for review or release it: any model may be reviewed
// voluntarily, whatever its coverage.
package coverage
