package csaf

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// The product tree. A model version offered on a surface is the product
//
//	vendor (the developer) → product_family (the model)
//	→ product_name (the model on the surface, "example-chat (API)")
//	→ product_version (the version)
//
// keeping the path vendor → product_name → product_version that consumers
// match on (section 3.1.2, informative test 6.3.9), with the surface in the
// product name because each surface of a version has its own status. Its
// product ID reads "AICC-MODEL-example-chat-1.0-api" and its package URL is
// pkg:generic/<developer>/<model>@<version>?surface=<surface>, the one the
// OpenVEX documents use.
//
// A package in an OSV ecosystem gives up to two products under
//
//	vendor (the ecosystem) → product_name (the package)
//
// its affected range as a product_version_range in vers notation
// ("vers:pypi/>=0.4.0|<0.9.2", ID "AICC-PACKAGE-PyPI-example-agent-kit-from-0.4.0-before-0.9.2")
// and, when there is one, the fixed version as a product_version (ID
// "AICC-PACKAGE-PyPI-example-agent-kit-0.9.2"), with the package URL without
// and with the version.
//
// A version whose name looks like a range to mandatory test 6.1.31 (it
// holds "all", "later", "<", …) is given as the one-version range
// "vers:generic/<version>" instead. Two products whose readable IDs would be
// equal both get a suffix from a hash of their place in the tree.

// step is one branch on the way from the root of the tree to a product.
type step struct{ category, name string }

// product is one product of the tree.
type product struct {
	path []step // the last step is the branch that holds the product
	name string // the full product name
	purl string
	base string // the readable product ID, before disambiguation
	id   string
}

// key identifies the product by its place in the tree.
func (p *product) key() string {
	var b strings.Builder
	for _, s := range p.path {
		b.WriteString(s.category + "\x00" + s.name + "\x00")
	}
	return b.String()
}

// tree holds the products of an advisory and its packages.
type tree struct {
	byKey  map[string]*product
	models map[string]*product // by advisory.Product.Key()
	ranges []*product          // by index in Packages: the affected range
	fixes  []*product          // by index in Packages: the fixed version, or nil
}

func newProductTree(a *advisory.Advisory) *tree {
	t := &tree{byKey: map[string]*product{}, models: map[string]*product{}}
	for _, p := range a.Products {
		t.models[p.Key()] = t.add(modelProduct(a.Developer, p))
	}
	for _, pkg := range a.Packages {
		r, f := packageProducts(pkg)
		t.ranges = append(t.ranges, t.add(r))
		if f != nil {
			f = t.add(f)
		}
		t.fixes = append(t.fixes, f)
	}
	t.assignIDs()
	return t
}

// add adds p, or returns the product already at its place.
func (t *tree) add(p *product) *product {
	if q, ok := t.byKey[p.key()]; ok {
		return q
	}
	t.byKey[p.key()] = p
	return p
}

// assignIDs gives each product its readable ID, suffixed with a hash of its
// place in the tree when another product would share it.
func (t *tree) assignIDs() {
	count := map[string]int{}
	for _, p := range t.byKey {
		count[p.base]++
	}
	for k, p := range t.byKey {
		p.id = p.base
		if count[p.base] > 1 {
			sum := sha256.Sum256([]byte(k))
			p.id += "-" + hex.EncodeToString(sum[:4])
		}
	}
}

// The tree's JSON.
type productTree struct {
	Branches []branch `json:"branches"`
}

type branch struct {
	Branches []branch         `json:"branches,omitempty"`
	Category string           `json:"category"`
	Name     string           `json:"name"`
	Product  *fullProductName `json:"product,omitempty"`
}

type fullProductName struct {
	Name                        string                `json:"name"`
	ProductID                   string                `json:"product_id"`
	ProductIdentificationHelper *identificationHelper `json:"product_identification_helper,omitempty"`
}

type identificationHelper struct {
	PURL string `json:"purl"`
}

// branches returns the tree, each level sorted by name then category.
func (t *tree) branches() []branch {
	root := &branch{}
	for _, p := range t.byKey {
		n := root
		for i, s := range p.path {
			j := slices.IndexFunc(n.Branches, func(b branch) bool { return b.Category == s.category && b.Name == s.name })
			if j < 0 {
				n.Branches = append(n.Branches, branch{Category: s.category, Name: s.name})
				j = len(n.Branches) - 1
			}
			n = &n.Branches[j]
			if i == len(p.path)-1 {
				n.Product = &fullProductName{Name: p.name, ProductID: p.id}
				if p.purl != "" {
					n.Product.ProductIdentificationHelper = &identificationHelper{PURL: p.purl}
				}
			}
		}
	}
	sortBranches(root.Branches)
	return root.Branches
}

func sortBranches(bs []branch) {
	slices.SortFunc(bs, func(a, b branch) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Category, b.Category)) })
	for i := range bs {
		sortBranches(bs[i].Branches)
	}
}

// surfaceText names a surface in product names.
func surfaceText(s advisory.Surface) string {
	switch s {
	case advisory.SurfaceAPI:
		return "API"
	case advisory.SurfaceHostedApp:
		return "hosted app"
	case advisory.SurfaceOpenWeights:
		return "open weights"
	}
	return string(s)
}

// modelProduct is a model version on a surface.
func modelProduct(developer string, p advisory.Product) *product {
	// The model and the version are kept as given: two products that
	// differ only in spaces must stay two products.
	developer, model, version := strings.TrimSpace(developer), p.Model, p.Version
	surface := surfaceText(p.Surface)
	return &product{
		path: []step{
			{"vendor", developer},
			{"product_family", model},
			{"product_name", model + " (" + surface + ")"},
			versionStep("generic", version),
		},
		name: developer + " " + model + " " + version + " (" + surface + ")",
		purl: advisory.ModelPURL(developer, p.Model, p.Version, p.Surface),
		base: "AICC-MODEL-" + idPart(model) + "-" + idPart(version) + "-" + strings.ReplaceAll(string(p.Surface), "_", "-"),
	}
}

// packageProducts are a package's affected range and, if it has one, its
// fixed version.
func packageProducts(pkg advisory.Package) (affected, fixed *product) {
	eco, name := strings.TrimSpace(pkg.Ecosystem), strings.TrimSpace(pkg.Name)
	intro, fix := strings.TrimSpace(pkg.Introduced), strings.TrimSpace(pkg.Fixed)
	purl := advisory.PackagePURL(pkg)
	scheme := advisory.PURLType(purl)
	base := "AICC-PACKAGE-" + idPart(eco) + "-" + idPart(name) + "-"
	var constraints []string
	switch {
	case intro == "0" && fix == "":
		base += "all"
	case intro == "0":
		base += "before-" + idPart(fix)
	case fix == "":
		base += "from-" + idPart(intro)
	default:
		base += "from-" + idPart(intro) + "-before-" + idPart(fix)
	}
	if intro != "0" {
		constraints = append(constraints, ">="+intro)
	}
	if fix != "" {
		constraints = append(constraints, "<"+fix)
	}
	rng, text := "vers:all/*", "all versions"
	if len(constraints) > 0 {
		rng, text = strings.Join(constraints, "|"), strings.Join(constraints, ", ")
		if scheme != "" {
			rng = "vers:" + scheme + "/" + rng
		}
	}
	affected = &product{
		path: []step{{"vendor", eco}, {"product_name", name}, {"product_version_range", rng}},
		name: name + " " + text + " (" + eco + ")",
		purl: purl,
		base: base,
	}
	if fix == "" {
		return affected, nil
	}
	fixed = &product{
		path: []step{{"vendor", eco}, {"product_name", name}, versionStep(cmp.Or(scheme, "generic"), fix)},
		name: name + " " + fix + " (" + eco + ")",
		base: "AICC-PACKAGE-" + idPart(eco) + "-" + idPart(name) + "-" + idPart(fix),
	}
	if purl != "" {
		fixed.purl = advisory.PURLWithVersion(purl, fix)
	}
	return affected, fixed
}

// rangeWords are what mandatory test 6.1.31 takes for a version range in a
// product_version.
var rangeWords = []string{"<", ">", "after", "all", "before", "earlier", "later", "prior", "versions"}

// versionStep is the branch of version v: a product_version, or the
// one-version range "vers:<scheme>/<v>" when v would look like a range.
func versionStep(scheme, v string) step {
	lower := strings.ToLower(v)
	for _, w := range rangeWords {
		if strings.Contains(lower, w) {
			return step{"product_version_range", "vers:" + scheme + "/" + v}
		}
	}
	return step{"product_version", v}
}

// idPart makes s fit a readable product ID: every run of characters other
// than ASCII letters, digits, ".", "_" and "+" becomes one "-".
func idPart(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '+' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash {
			b.WriteByte('-')
		}
		dash = true
	}
	return strings.Trim(b.String(), "-")
}
