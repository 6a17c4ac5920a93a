package check

import (
	"strings"

	"golang.org/x/text/language"
)

// test6_1_12 Language: /document/lang and /document/source_lang are
// well-formed BCP 47 tags whose subtags exist.
func test6_1_12(d *document, r *Report) {
	for _, k := range []string{"lang", "source_lang"} {
		n := d.root.at("document", k)
		s, ok := n.str()
		if !ok {
			continue
		}
		if _, err := language.Parse(s); err != nil {
			r.add("6.1.12", n.path, "%q is not a valid language tag: %v", s, err)
		}
	}
}

// test6_1_15 Translator: a document published by a translator names its
// source language.
func test6_1_15(d *document, r *Report) {
	doc := d.root.key("document")
	if doc.at("publisher", "category").text() != "translator" {
		return
	}
	if doc.key("source_lang").text() == "" {
		r.add("6.1.15", doc.key("source_lang").path, "the publisher is a translator but source_lang is missing")
	}
}

// test6_1_28 Translation: the source language differs from the document
// language.
func test6_1_28(d *document, r *Report) {
	doc := d.root.key("document")
	lang, okL := doc.key("lang").str()
	src, okS := doc.key("source_lang").str()
	if okL && okS && strings.EqualFold(lang, src) {
		r.add("6.1.28", doc.key("source_lang").path, "source_lang %q is the same as the document language %q", src, lang)
	}
}
