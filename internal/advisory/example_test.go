package advisory_test

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/advisory"
)

func ExampleModelPURL() {
	fmt.Println(advisory.ModelPURL("Example AI", "example-chat", "1.0", advisory.SurfaceOpenWeights))
	// Output: pkg:generic/example-ai/example-chat@1.0?surface=open_weights
}
