package advisory

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// idPattern is the shape of an advisory ID: AICC-YYYY-NNNN, four or more
// digits of sequence, as CVE IDs do.
var idPattern = regexp.MustCompile(`^AICC-(\d{4})-(\d{4,19})$`)

// FormatID returns the ID of the seq-th advisory of a year.
func FormatID(year, seq int) string { return fmt.Sprintf("AICC-%04d-%04d", year, seq) }

// ParseID returns the year and sequence number of an advisory ID.
func ParseID(id string) (year, seq int, err error) {
	m := idPattern.FindStringSubmatch(id)
	if m == nil {
		return 0, 0, aicc.Errorf(aicc.KindInvalid, "advisory ID %q: want AICC-YYYY-NNNN", id)
	}
	year, _ = strconv.Atoi(m[1])
	seq, err = strconv.Atoi(m[2])
	if err != nil || seq < 1 {
		return 0, 0, aicc.Errorf(aicc.KindInvalid, "advisory ID %q: the sequence number must be 1 or more", id)
	}
	return year, seq, nil
}
