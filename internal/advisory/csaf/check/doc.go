// Package check validates CSAF 2.0 documents: it owns the decision whether a
// document that aicc emits (categories csaf_security_advisory and csaf_vex, or
// any other) is a valid CSAF 2.0 document.
//
// [Validate] checks a document in two steps and reports every violation it
// finds, each with the test that failed and a JSON pointer to the offending
// value:
//
//   - the official CSAF 2.0 JSON schema (errata 01), with the FIRST CVSS v2.0,
//     v3.0 and v3.1 schemas it references and with format assertions
//     (date-time, uri) turned on; the schemas are embedded and registered
//     under their $id URLs, so validation never touches the network;
//   - every mandatory test of section 6.1 of the specification, 6.1.1 to
//     6.1.33 including the profile tests 6.1.27.1 to 6.1.27.11: product and
//     group IDs, product status, CVSS scores (recomputed from the vector with
//     github.com/pandatix/go-cvss), CWE, language tags, package URLs, the
//     revision history and version numbers, involvements, hashes, the
//     document category and the profiles.
//
// Test 6.1.11 checks CWE IDs and names against a small embedded list (names
// as in CWE 4.17) rather than the whole catalogue: an ID that is not in the
// list is reported as a violation, so the list grows with the CWEs aicc uses.
// Violations of the CVSS schemas are reported as test 6.1.8, not as "schema".
//
// Source of the embedded schemas and of the test cases in testdata/: the
// OASIS CSAF TC repository https://github.com/oasis-tcs/csaf at commit
// 27af37f5 — csaf_2.0_errata_01/ (CSAF schema), csaf_2.0/referenced_schema/first
// (CVSS schemas) and csaf_2.0/test/validator/data (testcases.json and the
// mandatory test documents), copied unchanged.
package check
