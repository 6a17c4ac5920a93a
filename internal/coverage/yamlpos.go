package coverage

// Positions of fields in the YAML syntax tree, for lint problems. These
// follow internal/protocol's helpers of the same names.

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// maxExpandedNodes bounds the size of a policy with its aliases expanded,
// so that nested aliases ("billion laughs") cannot exhaust memory.
const maxExpandedNodes = 1 << 16

// checkExpansion rejects a document whose aliases expand beyond
// maxExpandedNodes nodes.
func checkExpansion(file string, body ast.Node) error {
	anchors := map[string]int{}
	var size func(n ast.Node) int
	size = func(n ast.Node) int {
		total := 1
		add := func(c ast.Node) {
			if c != nil && total <= maxExpandedNodes {
				total = min(total+size(c), maxExpandedNodes+1)
			}
		}
		switch n := n.(type) {
		case *ast.AnchorNode:
			s := size(n.Value)
			anchors[keyName(n.Name)] = s
			return s
		case *ast.AliasNode:
			return max(1, anchors[keyName(n.Value)])
		case *ast.TagNode:
			return size(n.Value)
		case *ast.MappingKeyNode:
			return size(n.Value)
		case *ast.MappingNode:
			for _, v := range n.Values {
				add(v)
			}
		case *ast.MappingValueNode:
			add(n.Key)
			add(n.Value)
		case *ast.SequenceNode:
			for _, v := range n.Values {
				add(v)
			}
		}
		return total
	}
	if size(body) <= maxExpandedNodes {
		return nil
	}
	return &LintError{Problems: []Problem{{File: file, Line: 1, Column: 1,
		Message: fmt.Sprintf("with its aliases expanded the document has over %d nodes; use fewer aliases", maxExpandedNodes)}}}
}

// yamlError turns a YAML syntax or decoding error into a one-problem
// *LintError with the position (and, when body is known, the field).
func yamlError(file string, body ast.Node, err error) *LintError {
	pr := Problem{File: file, Message: err.Error()}
	if i := strings.IndexByte(pr.Message, '\n'); i >= 0 {
		pr.Message = pr.Message[:i]
	}
	var ye yaml.Error
	if errors.As(err, &ye) {
		pr.Message = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil {
			pr.Line, pr.Column = tokenPos(tk)
			if body != nil {
				pr.Field = pathAt(body, "", tk)
			}
		}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		pr.Message = fmt.Sprintf("must be %s, not %s", describeType(te.DstType), describeType(te.SrcType))
	}
	return &LintError{Problems: []Problem{pr}}
}

func describeType(t reflect.Type) string {
	if t == nil {
		return "null"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	case reflect.Pointer:
		return describeType(t.Elem())
	}
	return t.String()
}

func tokenPos(tk *token.Token) (line, col int) {
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

// unwrap returns the node under tags, explicit keys and anchors.
func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.MappingKeyNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		default:
			return n
		}
	}
}

// pairs returns the key/value pairs of a mapping node, nil for other nodes.
func pairs(n ast.Node) []*ast.MappingValueNode {
	switch n := n.(type) {
	case *ast.MappingNode:
		return n.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}
	}
	return nil
}

func keyName(k ast.Node) string {
	k = unwrap(k)
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if k == nil || k.GetToken() == nil {
		return ""
	}
	return k.GetToken().Value
}

// nodePos is where a node starts: the first key of a block mapping, else
// its first token.
func nodePos(n ast.Node) (line, col int) {
	if n == nil {
		return 0, 0
	}
	if m, ok := n.(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 {
		return tokenPos(m.Values[0].Key.GetToken())
	}
	if mv, ok := n.(*ast.MappingValueNode); ok {
		return tokenPos(mv.Key.GetToken())
	}
	return tokenPos(n.GetToken())
}

type pathSeg struct {
	key   string
	index int // -1 for a key
}

// splitPath splits "rules[3].when.all[0].compute_above" into its segments.
func splitPath(path string) []pathSeg {
	var segs []pathSeg
	for part := range strings.SplitSeq(path, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			segs = append(segs, pathSeg{key: key, index: -1})
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if err != nil {
				return segs
			}
			segs = append(segs, pathSeg{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return segs
}

// locate returns the position of the field at path: the key of a mapping
// field, the start of a list element, or, when the path does not exist in
// the file, of its nearest existing parent.
func locate(root ast.Node, path string) (line, col int) {
	line, col = nodePos(root)
	n := root
	for _, seg := range splitPath(path) {
		n = unwrap(n)
		var next ast.Node
		if seg.index < 0 {
			for _, mv := range pairs(n) {
				if keyName(mv.Key) == seg.key {
					next = mv.Value
					line, col = tokenPos(mv.Key.GetToken())
					break
				}
			}
		} else if sq, ok := n.(*ast.SequenceNode); ok && seg.index < len(sq.Values) {
			next = sq.Values[seg.index]
			line, col = nodePos(next)
		}
		if next == nil {
			break
		}
		n = next
	}
	return line, col
}

// pathAt returns the field path of the node (or key) holding tk, "" when
// none does.
func pathAt(n ast.Node, path string, tk *token.Token) string {
	if n == nil || tk == nil || tk.Position == nil {
		return ""
	}
	same := func(t *token.Token) bool {
		return t != nil && t.Position != nil && t.Position.Offset == tk.Position.Offset &&
			t.Position.Line == tk.Position.Line && t.Position.Column == tk.Position.Column
	}
	if same(n.GetToken()) {
		return path
	}
	u := unwrap(n)
	if u == nil {
		return ""
	}
	if same(u.GetToken()) {
		return path
	}
	join := func(key string) string {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	for _, mv := range pairs(u) {
		key := keyName(mv.Key)
		if same(mv.Key.GetToken()) || same(unwrap(mv.Key).GetToken()) {
			return join(key)
		}
		if p := pathAt(mv.Value, join(key), tk); p != "" {
			return p
		}
	}
	if sq, ok := u.(*ast.SequenceNode); ok {
		for i, v := range sq.Values {
			if p := pathAt(v, fmt.Sprintf("%s[%d]", path, i), tk); p != "" {
				return p
			}
		}
	}
	return ""
}
