package aicc

import "strings"

// TLP is a Traffic Light Protocol 2.0 label (https://www.first.org/tlp/).
type TLP string

const (
	TLPRed         TLP = "TLP:RED"          // for the eyes and ears of individual recipients only
	TLPAmberStrict TLP = "TLP:AMBER+STRICT" // the recipient's organization only
	TLPAmber       TLP = "TLP:AMBER"        // the recipient's organization and its clients, on a need-to-know basis
	TLPGreen       TLP = "TLP:GREEN"        // the recipient's community
	TLPClear       TLP = "TLP:CLEAR"        // no limit on disclosure
)

// TLPs lists the labels from most to least restrictive.
var TLPs = []TLP{TLPRed, TLPAmberStrict, TLPAmber, TLPGreen, TLPClear}

// ParseTLP accepts a label with or without the "TLP:" prefix, in any case.
func ParseTLP(s string) (TLP, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(u, "TLP:") {
		u = "TLP:" + u
	}
	for _, t := range TLPs {
		if TLP(u) == t {
			return t, nil
		}
	}
	return "", Errorf(KindInvalid, "TLP label %q: must be one of RED, AMBER+STRICT, AMBER, GREEN, CLEAR", s)
}

// Valid reports whether t is a TLP 2.0 label.
func (t TLP) Valid() bool { return t.rank() >= 0 }

// rank is 0 for RED up to 4 for CLEAR, -1 for an unknown label.
func (t TLP) rank() int {
	for i, v := range TLPs {
		if t == v {
			return i
		}
	}
	return -1
}

// MoreRestrictive reports whether t restricts disclosure more than u.
func (t TLP) MoreRestrictive(u TLP) bool { return t.rank() < u.rank() }

// LessRestrictiveThan reports whether t allows wider disclosure than u.
func (t TLP) LessRestrictiveThan(u TLP) bool { return t.rank() > u.rank() }
