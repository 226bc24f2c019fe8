package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	stdhtml "html"
	"regexp"

	"github.com/ccstudy/ccstudy/internal/i18n"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// css styles report.html.
//
//go:embed report.css
var css string

var imgTag = regexp.MustCompile(`<img src="figures/([A-Za-z0-9_.-]+)\.png" alt="([^"]*)"\s*/?>`)

// html turns report.md into one self-contained page: the figures report.md
// links as PNG are inlined as data URIs so it reads offline, as SVG (svgs,
// by name) when written, else as the PNG (pngs). lang is the page's
// language (the html element's lang; English when empty).
func html(md []byte, svgs, pngs map[string][]byte, lang string) ([]byte, error) {
	var body bytes.Buffer
	conv := goldmark.New(goldmark.WithExtensions(extension.GFM))
	if err := conv.Convert(md, &body); err != nil {
		return nil, err
	}
	page := imgTag.ReplaceAllFunc(body.Bytes(), func(m []byte) []byte {
		sub := imgTag.FindSubmatch(m)
		mime, img := "image/svg+xml", svgs[string(sub[1])]
		if img == nil {
			mime, img = "image/png", pngs[string(sub[1])]
		}
		if img == nil {
			return m
		}
		return []byte(`<figure><img src="data:` + mime + `;base64,` + base64.StdEncoding.EncodeToString(img) + `" alt="` + string(sub[2]) + `"></figure>`)
	})
	var out bytes.Buffer
	if lang == "" {
		lang = "en"
	}
	out.WriteString(`<!DOCTYPE html>
<html lang="` + stdhtml.EscapeString(lang) + `"><head><meta charset="utf-8"><title>` + stdhtml.EscapeString(i18n.T(lang, "ccstudy report")) + `</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
`)
	out.WriteString(css)
	out.WriteString("</style></head><body>\n")
	out.Write(page)
	out.WriteString("</body></html>\n")
	return out.Bytes(), nil
}
