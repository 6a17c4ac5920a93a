package check

// document is a decoded CSAF document with the indexes several tests share.
type document struct {
	root     node
	schemas  *schemas
	category string // /document/category
	status   string // /document/tracking/status

	branches         []node              // every branch of /product_tree/branches, depth first
	fullProductNames []node              // every full_product_name_t in the product tree
	groups           map[string][]string // group_id → product_ids, over all definitions of the group
}

func newDocument(v any, s *schemas) *document {
	root := node{v: v}
	d := &document{
		root:     root,
		schemas:  s,
		category: root.at("document", "category").text(),
		status:   root.at("document", "tracking", "status").text(),
		groups:   map[string][]string{},
	}
	tree := root.key("product_tree")
	d.walkBranches(tree.key("branches"))
	d.fullProductNames = append(d.fullProductNames, tree.key("full_product_names").items()...)
	for _, rel := range tree.key("relationships").items() {
		if rel.has("full_product_name") {
			d.fullProductNames = append(d.fullProductNames, rel.key("full_product_name"))
		}
	}
	for _, g := range tree.key("product_groups").items() {
		id, ok := g.key("group_id").str()
		if !ok {
			continue
		}
		members := d.groups[id]
		for _, p := range g.key("product_ids").strs() {
			members = append(members, p.text())
		}
		d.groups[id] = members // also for a group without members: it is defined
	}
	return d
}

func (d *document) walkBranches(branches node) {
	for _, b := range branches.items() {
		d.branches = append(d.branches, b)
		if b.has("product") {
			d.fullProductNames = append(d.fullProductNames, b.key("product"))
		}
		d.walkBranches(b.key("branches"))
	}
}

func (d *document) vulnerabilities() []node { return d.root.key("vulnerabilities").items() }

// productsOf returns the product IDs an item (remediation, threat, flag)
// refers to, directly through product_ids and indirectly through group_ids.
func (d *document) productsOf(item node) []string {
	var out []string
	for _, p := range item.key("product_ids").strs() {
		out = append(out, p.text())
	}
	for _, g := range item.key("group_ids").strs() {
		out = append(out, d.groups[g.text()]...)
	}
	return out
}
