package check

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// revision is one item of /document/tracking/revision_history.
type revision struct {
	item   node
	number string
	date   time.Time
}

// sortedRevisions returns the revision history sorted ascending by date and,
// for equal dates, by number. ok is false when an item lacks a number or a
// valid date-time, in which case the order is undefined.
func (d *document) sortedRevisions() (revs []revision, ok bool) {
	for _, it := range d.root.at("document", "tracking", "revision_history").items() {
		number, okN := it.key("number").str()
		date, err := time.Parse(time.RFC3339, it.key("date").text())
		if !okN || err != nil {
			return nil, false
		}
		revs = append(revs, revision{item: it, number: number, date: date})
	}
	slices.SortStableFunc(revs, func(a, b revision) int {
		return cmp.Or(a.date.Compare(b.date), compareVersions(a.number, b.number))
	})
	return revs, true
}

// revisionNumbers returns the number of each revision history item, in
// document order.
func (d *document) revisionNumbers() []node {
	var out []node
	for _, it := range d.root.at("document", "tracking", "revision_history").items() {
		if _, ok := it.key("number").str(); ok {
			out = append(out, it.key("number"))
		}
	}
	return out
}

func (d *document) trackingVersion() node { return d.root.at("document", "tracking", "version") }

// released reports whether the document status is final or interim.
func (d *document) released() bool { return d.status == "final" || d.status == "interim" }

// test6_1_14 Sorted Revision History: sorted by date, the numbers ascend.
func test6_1_14(d *document, r *Report) {
	revs, ok := d.sortedRevisions()
	if !ok {
		return
	}
	for i := 1; i < len(revs); i++ {
		prev, cur := revs[i-1], revs[i]
		if compareVersions(prev.number, cur.number) > 0 {
			r.add("6.1.14", cur.item.path, "revision %s (%s) is dated after revision %s (%s) but has a lower number",
				cur.number, cur.date.Format(time.RFC3339Nano), prev.number, prev.date.Format(time.RFC3339Nano))
		}
	}
}

// test6_1_16 Latest Document Version: the version equals the number of the
// latest revision, ignoring build metadata, and pre-release parts in drafts.
func test6_1_16(d *document, r *Report) {
	revs, ok := d.sortedRevisions()
	if !ok || len(revs) == 0 {
		return
	}
	last := revs[len(revs)-1].number
	cur, okCur := parseVersion(d.trackingVersion().text())
	lv, okLast := parseVersion(last)
	if !okCur || !okLast {
		return
	}
	draft := d.status == "draft"
	if cur.core(draft) != lv.core(draft) {
		r.add("6.1.16", d.trackingVersion().path, "document version %s differs from %s, the number of the latest revision", cur.raw, last)
	}
}

// test6_1_17 Document Status Draft: versions 0, 0.y.z and pre-releases are
// drafts.
func test6_1_17(d *document, r *Report) {
	v, ok := parseVersion(d.trackingVersion().text())
	status := d.root.at("document", "tracking", "status")
	if !ok || d.status == "" || d.status == "draft" {
		return
	}
	if v.isZero() || v.isPreRelease() {
		r.add("6.1.17", status.path, "document status is %q but version %s is a draft version", d.status, v.raw)
	}
}

// test6_1_18 Released Revision History: a final or interim document has no
// revision 0 or 0.y.z.
func test6_1_18(d *document, r *Report) {
	if !d.released() {
		return
	}
	for _, n := range d.revisionNumbers() {
		if v, ok := parseVersion(n.text()); ok && v.isZero() {
			r.add("6.1.18", n.path, "document status is %q but the revision history contains version %s", d.status, v.raw)
		}
	}
}

// test6_1_19 Revision History Entries for Pre-release Versions.
func test6_1_19(d *document, r *Report) {
	for _, n := range d.revisionNumbers() {
		if v, ok := parseVersion(n.text()); ok && v.isPreRelease() {
			r.add("6.1.19", n.path, "revision number %s is a pre-release version", v.raw)
		}
	}
}

// test6_1_20 Non-draft Document Version: final and interim documents have no
// pre-release version.
func test6_1_20(d *document, r *Report) {
	if !d.released() {
		return
	}
	if v, ok := parseVersion(d.trackingVersion().text()); ok && v.isPreRelease() {
		r.add("6.1.20", d.trackingVersion().path, "document status is %q but version %s has a pre-release part", d.status, v.raw)
	}
}

// test6_1_21 Missing Item in Revision History: sorted by date, the history
// starts at (major) version 0 or 1 and skips no (major) version.
func test6_1_21(d *document, r *Report) {
	revs, ok := d.sortedRevisions()
	if !ok || len(revs) == 0 {
		return
	}
	var majors []uint64
	for _, rev := range revs {
		v, ok := parseVersion(rev.number)
		if !ok {
			return
		}
		m, err := strconv.ParseUint(v.major, 10, 64)
		if err != nil {
			return // beyond any real history; 6.1.14 and 6.1.16 still apply
		}
		majors = append(majors, m)
	}
	if majors[0] > 1 {
		r.add("6.1.21", revs[0].item.path, "the first revision is %s; the history must start at version 0 or 1", revs[0].number)
	}
	slices.Sort(majors)
	majors = slices.Compact(majors)
	for i := 1; i < len(majors); i++ {
		if majors[i] > majors[i-1]+1 {
			r.add("6.1.21", d.root.at("document", "tracking", "revision_history").path,
				"the revision history has no item for version %s", versionGap(majors[i-1], majors[i]))
		}
	}
}

func versionGap(from, to uint64) string {
	if to-from == 2 {
		return strconv.FormatUint(from+1, 10)
	}
	return fmt.Sprintf("%d to %d", from+1, to-1)
}

// test6_1_22 Multiple Definition in Revision History.
func test6_1_22(d *document, r *Report) {
	first := map[string]string{}
	for _, n := range d.revisionNumbers() {
		if at, dup := first[n.text()]; dup {
			r.add("6.1.22", n.path, "revision number %s is already used at %s", n.text(), at)
			continue
		}
		first[n.text()] = n.path
	}
}

// test6_1_30 Mixed Integer and Semantic Versioning: every version_t of the
// document follows the scheme of /document/tracking/version.
func test6_1_30(d *document, r *Report) {
	cur, ok := parseVersion(d.trackingVersion().text())
	if !ok {
		return
	}
	for _, n := range d.revisionNumbers() {
		if v, ok := parseVersion(n.text()); ok && v.semver != cur.semver {
			r.add("6.1.30", n.path, "revision number %s uses %s but document version %s uses %s", v.raw, v.kind(), cur.raw, cur.kind())
		}
	}
}
