package check

import (
	"slices"
	"strings"
	"unicode"
)

// productStatuses returns the members of /vulnerabilities[]/product_status.
func productStatuses() []string {
	return []string{
		"first_affected", "first_fixed", "fixed", "known_affected",
		"known_not_affected", "last_affected", "recommended", "under_investigation",
	}
}

// productReferences returns every reference to a product ID outside a full
// product name, in document order.
func (d *document) productReferences() []node {
	var refs []node
	tree := d.root.key("product_tree")
	for _, g := range tree.key("product_groups").items() {
		refs = append(refs, g.key("product_ids").strs()...)
	}
	for _, rel := range tree.key("relationships").items() {
		for _, k := range []string{"product_reference", "relates_to_product_reference"} {
			if _, ok := rel.key(k).str(); ok {
				refs = append(refs, rel.key(k))
			}
		}
	}
	for _, v := range d.vulnerabilities() {
		for _, s := range productStatuses() {
			refs = append(refs, v.at("product_status", s).strs()...)
		}
		for _, list := range []string{"remediations", "threats", "flags"} {
			for _, it := range v.key(list).items() {
				refs = append(refs, it.key("product_ids").strs()...)
			}
		}
		for _, sc := range v.key("scores").items() {
			refs = append(refs, sc.key("products").strs()...)
		}
	}
	return refs
}

// definedProducts returns the product IDs defined in full product names.
func (d *document) definedProducts() map[string]bool {
	ids := map[string]bool{}
	for _, fpn := range d.fullProductNames {
		if id, ok := fpn.key("product_id").str(); ok {
			ids[id] = true
		}
	}
	return ids
}

// test6_1_1 Missing Definition of Product ID.
func test6_1_1(d *document, r *Report) {
	defined := d.definedProducts()
	for _, ref := range d.productReferences() {
		if id := ref.text(); !defined[id] {
			r.add("6.1.1", ref.path, "product ID %q is not defined in the product tree", id)
		}
	}
}

// test6_1_2 Multiple Definition of Product ID.
func test6_1_2(d *document, r *Report) {
	first := map[string]string{}
	for _, fpn := range d.fullProductNames {
		id, ok := fpn.key("product_id").str()
		if !ok {
			continue
		}
		if at, dup := first[id]; dup {
			r.add("6.1.2", fpn.key("product_id").path, "product ID %q is already defined at %s", id, at)
			continue
		}
		first[id] = fpn.key("product_id").path
	}
}

// test6_1_3 Circular Definition of Product ID: a product defined by a
// relationship must not, through product_reference and
// relates_to_product_reference, depend on itself.
func test6_1_3(d *document, r *Report) {
	rels := d.root.at("product_tree", "relationships").items()
	edges := map[string][]string{}
	for _, rel := range rels {
		id, ok := rel.at("full_product_name", "product_id").str()
		if !ok {
			continue
		}
		for _, k := range []string{"product_reference", "relates_to_product_reference"} {
			if to, ok := rel.key(k).str(); ok {
				edges[id] = append(edges[id], to)
			}
		}
	}
	cyclic := cyclicNodes(edges)
	for _, rel := range rels {
		id := rel.at("full_product_name", "product_id")
		if cyclic[id.text()] {
			r.add("6.1.3", id.path, "product ID %q is defined in terms of itself (circular relationship)", id.text())
		}
	}
}

// cyclicNodes returns the nodes of a directed graph that lie on a cycle,
// using Tarjan's strongly connected components.
func cyclicNodes(edges map[string][]string) map[string]bool {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	cyclic := map[string]bool{}
	var visit func(v string)
	visit = func(v string) {
		index[v] = len(index)
		low[v] = index[v]
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range edges[v] {
			if _, seen := index[w]; !seen {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var scc []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			scc = append(scc, w)
			if w == v {
				break
			}
		}
		if len(scc) > 1 || slices.Contains(edges[v], v) {
			for _, w := range scc {
				cyclic[w] = true
			}
		}
	}
	keys := make([]string, 0, len(edges))
	for k := range edges {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, seen := index[k]; !seen {
			visit(k)
		}
	}
	return cyclic
}

// test6_1_4 Missing Definition of Product Group ID.
func test6_1_4(d *document, r *Report) {
	for _, v := range d.vulnerabilities() {
		for _, list := range []string{"remediations", "threats", "flags"} {
			for _, it := range v.key(list).items() {
				for _, g := range it.key("group_ids").strs() {
					if _, ok := d.groups[g.text()]; !ok {
						r.add("6.1.4", g.path, "product group ID %q is not defined in the product tree", g.text())
					}
				}
			}
		}
	}
}

// test6_1_5 Multiple Definition of Product Group ID.
func test6_1_5(d *document, r *Report) {
	first := map[string]string{}
	for _, g := range d.root.at("product_tree", "product_groups").items() {
		id := g.key("group_id")
		s, ok := id.str()
		if !ok {
			continue
		}
		if at, dup := first[s]; dup {
			r.add("6.1.5", id.path, "product group ID %q is already defined at %s", s, at)
			continue
		}
		first[s] = id.path
	}
}

// test6_1_13 PURL: every package URL in the product tree is valid.
func test6_1_13(d *document, r *Report) {
	for _, fpn := range d.fullProductNames {
		p := fpn.at("product_identification_helper", "purl")
		if s, ok := p.str(); ok {
			if err := checkPURL(s); err != nil {
				r.add("6.1.13", p.path, "invalid package URL %q: %v", s, err)
			}
		}
	}
}

// test6_1_25 Multiple Use of Same Hash Algorithm within one item of hashes.
func test6_1_25(d *document, r *Report) {
	for _, fpn := range d.fullProductNames {
		for _, h := range fpn.at("product_identification_helper", "hashes").items() {
			seen := map[string]bool{}
			for _, fh := range h.key("file_hashes").items() {
				alg, ok := fh.key("algorithm").str()
				if !ok {
					continue
				}
				if key := strings.ToLower(alg); seen[key] {
					r.add("6.1.25", fh.key("algorithm").path, "hash algorithm %q is used more than once for the same file", alg)
				} else {
					seen[key] = true
				}
			}
		}
	}
}

// test6_1_31 Version Range in Product Version.
func test6_1_31(d *document, r *Report) {
	for _, b := range d.branches {
		if b.key("category").text() != "product_version" {
			continue
		}
		name, ok := b.key("name").str()
		if !ok {
			continue
		}
		if w := versionRangeMarker(name); w != "" {
			r.add("6.1.31", b.key("name").path, "product_version %q contains the version range marker %q; use the category product_version_range", name, w)
		}
	}
}

// versionRangeMarker returns the first sign of a version range in a
// product_version name: "<" or ">" anywhere, or one of the words of test
// 6.1.31 standing alone (words are joined by letters, digits, "-" and "_"),
// so that "prior to 4.2" is a range but "after-eight" (an official valid
// example) is not.
func versionRangeMarker(name string) string {
	lower := strings.ToLower(name)
	if i := strings.IndexAny(lower, "<>"); i >= 0 {
		return lower[i : i+1]
	}
	words := strings.FieldsFunc(lower, func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '-' && c != '_'
	})
	for _, w := range words {
		switch w {
		case "after", "all", "before", "earlier", "later", "prior", "versions":
			return w
		}
	}
	return ""
}
