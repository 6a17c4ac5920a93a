package stix

// The JSON shapes of the objects this package writes. Field order is the
// output order; every list is omitted when empty, as STIX forbids empty
// lists.

// common holds the properties every SDO and SRO has.
type common struct {
	Type              string               `json:"type"`
	SpecVersion       string               `json:"spec_version"`
	ID                string               `json:"id"`
	CreatedByRef      string               `json:"created_by_ref,omitempty"`
	Created           timestamp            `json:"created"`
	Modified          timestamp            `json:"modified"`
	Revoked           bool                 `json:"revoked,omitempty"`
	ObjectMarkingRefs []string             `json:"object_marking_refs,omitempty"`
	Extensions        map[string]extension `json:"extensions,omitempty"`
}

// extension is an entry of an object's extensions.
type extension struct {
	ExtensionType string `json:"extension_type"`
}

type externalReference struct {
	SourceName  string `json:"source_name"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	ExternalID  string `json:"external_id,omitempty"`
}

type identity struct {
	common
	Name               string `json:"name"`
	Description        string `json:"description,omitempty"`
	IdentityClass      string `json:"identity_class"`
	ContactInformation string `json:"contact_information,omitempty"`
}

type vulnerability struct {
	common
	Name               string              `json:"name"`
	Description        string              `json:"description,omitempty"`
	ExternalReferences []externalReference `json:"external_references,omitempty"`
	XTitle             string              `json:"x_aicc_title"`
	XRevision          int                 `json:"x_aicc_revision"`
	XSeverity          *xSeverity          `json:"x_aicc_severity,omitempty"`
	XProducts          []xProduct          `json:"x_aicc_products,omitempty"`
	XPackages          []xPackage          `json:"x_aicc_packages,omitempty"`
	XWithdrawReason    string              `json:"x_aicc_withdraw_reason,omitempty"`
}

type xSeverity struct {
	CVSSVector string  `json:"cvss_v4_vector,omitempty"`
	CVSSScore  float64 `json:"cvss_v4_score"`
	Rating     string  `json:"rating,omitempty"`
}

type xProduct struct {
	Model         string `json:"model"`
	Version       string `json:"version"`
	Surface       string `json:"surface"`
	Status        string `json:"status"`
	Remediation   string `json:"remediation,omitempty"`
	Justification string `json:"justification,omitempty"`
	Note          string `json:"note,omitempty"`
}

type xPackage struct {
	Ecosystem  string `json:"ecosystem"`
	Name       string `json:"name"`
	PURL       string `json:"purl,omitempty"`
	Introduced string `json:"introduced"`
	Fixed      string `json:"fixed,omitempty"`
}

type attackPattern struct {
	common
	Name               string              `json:"name"`
	Description        string              `json:"description,omitempty"`
	ExternalReferences []externalReference `json:"external_references,omitempty"`
}

type courseOfAction struct {
	common
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	XProduct     string `json:"x_aicc_product"`
	XRemediation string `json:"x_aicc_remediation"`
}

type relationship struct {
	common
	RelationshipType string `json:"relationship_type"`
	SourceRef        string `json:"source_ref"`
	TargetRef        string `json:"target_ref"`
}

type note struct {
	common
	Abstract   string   `json:"abstract,omitempty"`
	Content    string   `json:"content"`
	Authors    []string `json:"authors,omitempty"`
	ObjectRefs []string `json:"object_refs"`
}

type extensionDefinition struct {
	common
	Name                string   `json:"name"`
	Description         string   `json:"description"`
	Schema              string   `json:"schema"`
	Version             string   `json:"version"`
	ExtensionTypes      []string `json:"extension_types"`
	ExtensionProperties []string `json:"extension_properties"`
}
