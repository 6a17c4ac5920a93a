// Package advisory owns the clearinghouse's advisories: what one review
// learned, written so that it protects everyone else who deploys the model.
//
// An Advisory describes a technique (its class and taxonomy IDs) and its
// instances in model versions (Products, each with a status and, when
// fixed, how), with reproduction figures and a CVSS 4.0 severity from the
// findings. Its content comes in three tiers, each with its own TLP 2.0
// label and audience: a public summary, a restricted reproduction, and the
// exploit payload itself (for a model the prompt is the exploit).
//
// Disclosure follows a release-anchored embargo: by default an advisory
// stays under embargo until the model's planned public release, parties may
// agree to move it, and when the developer stops responding a fallback
// (45 days by default, as in CERT/CC practice) lifts it. States run draft →
// embargoed → published → updated, and withdrawn from any published state.
//
// Visible decides, for every channel (API, feeds, TAXII, CSAF directory,
// webhooks), what an organization may see of an advisory; the encoders in
// the subpackages (csaf, openvex, osv, stix) render only what they are
// given. The package knows nothing of storage or HTTP.
package advisory
