package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/mail"
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// atomFeed is an Atom 1.0 feed document (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   atomText    `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

// atomText is a text construct of type "text".
type atomText struct {
	Type string
	Text string
}

// MarshalXML writes the text with its line breaks as they are (the
// default escapes them as character references).
func (t atomText) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "type"}, Value: t.Type})
	for _, tok := range []xml.Token{start, xml.CharData(t.Text), start.End()} {
		if err := e.EncodeToken(tok); err != nil {
			return err
		}
	}
	return nil
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name  string `xml:"name"`
	URI   string `xml:"uri,omitempty"`
	Email string `xml:"email,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    atomText       `xml:"content"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// Atom returns an Atom 1.0 feed of advs, which must all be published.
// f.FeedURL is the feed's id and self link.
func Atom(advs []*advisory.Advisory, f Feed) ([]byte, error) {
	if strings.TrimSpace(f.FeedURL) == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "atom feed: the feed's URL is required: it is the feed's id")
	}
	its, err := items(advs, f)
	if err != nil {
		return nil, fmt.Errorf("atom feed: %w", err)
	}
	up := updated(f, its)
	if up.IsZero() {
		return nil, aicc.Errorf(aicc.KindInvalid, "atom feed: an empty feed needs its Updated date")
	}
	doc := atomFeed{ID: f.FeedURL, Title: atomText{Type: "text", Text: f.Title}, Updated: date(up),
		Links:  []atomLink{{Rel: "self", Type: "application/atom+xml", Href: f.FeedURL}},
		Author: atomPerson{Name: f.Publisher.Name, URI: f.Publisher.Namespace, Email: email(f.Publisher.ContactDetails)}}
	if f.HomePageURL != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "alternate", Type: "text/html", Href: f.HomePageURL})
	}
	for _, it := range its {
		e := atomEntry{ID: it.url, Title: atomText{Type: "text", Text: it.title}, Updated: date(it.updated), Published: date(it.published),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: it.url}}, Content: atomText{Type: "text", Text: it.content}}
		if it.summary != "" {
			e.Summary = &atomText{Type: "text", Text: it.summary}
		}
		for _, t := range it.tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		doc.Entries = append(doc.Entries, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("atom feed: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// email returns s when it is a bare e-mail address, else "".
func email(s string) string {
	if a, err := mail.ParseAddress(s); err == nil && a.Address == s {
		return s
	}
	return ""
}
