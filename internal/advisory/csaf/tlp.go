package csaf

import "github.com/aicc-dev/aicc/internal/aicc"

// tlpURL is where FIRST defines the Traffic Light Protocol; it holds TLP
// 2.0, whose labels the documents' distribution text names.
const tlpURL = "https://www.first.org/tlp/"

// TLPLabel maps a TLP 2.0 label to the TLP version 1 label that CSAF 2.0
// documents carry: CLEAR is WHITE, AMBER+STRICT is AMBER (the document
// then says that the stricter rule applies), GREEN, AMBER and RED keep
// their names. It returns "" for an unknown label.
func TLPLabel(t aicc.TLP) string {
	switch t {
	case aicc.TLPClear:
		return "WHITE"
	case aicc.TLPGreen:
		return "GREEN"
	case aicc.TLPAmber, aicc.TLPAmberStrict:
		return "AMBER"
	case aicc.TLPRed:
		return "RED"
	}
	return ""
}

// distributionText says what the TLP 2.0 label t allows, and why the
// document's label may read differently.
func distributionText(t aicc.TLP) string {
	const v1 = " CSAF 2.0 labels documents with TLP version 1, hence the label "
	switch t {
	case aicc.TLPClear:
		return "TLP:CLEAR (TLP 2.0): disclosure is not limited." + v1 + "WHITE."
	case aicc.TLPGreen:
		return "TLP:GREEN (TLP 2.0): share within the recipient's community, not publicly."
	case aicc.TLPAmber:
		return "TLP:AMBER (TLP 2.0): share within the recipient's organization, and with its clients only on a need-to-know basis."
	case aicc.TLPAmberStrict:
		return amberStrictText
	case aicc.TLPRed:
		return "TLP:RED (TLP 2.0): for the named recipients only; do not share it further."
	}
	return ""
}

// amberStrictText explains the AMBER label of a TLP:AMBER+STRICT document,
// in its distribution text and in a document note.
const amberStrictText = "TLP:AMBER+STRICT (TLP 2.0): share only within the recipient's own organization, not with its clients." +
	" CSAF 2.0 labels documents with TLP version 1, which has no AMBER+STRICT, hence the label AMBER: the stricter rule of TLP:AMBER+STRICT applies."
