package pressrelease

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// skipTags never hold release content: page chrome, scripts and widgets.
var skipTags = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Nav: true, atom.Footer: true, atom.Aside: true,
	atom.Form: true, atom.Button: true, atom.Select: true, atom.Iframe: true,
	atom.Svg: true, atom.Object: true, atom.Embed: true, atom.Canvas: true,
	atom.Input: true, atom.Textarea: true, atom.Dialog: true, atom.Menu: true,
}

// blockTags start and end a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true,
	atom.Ol: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Table: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Main: true,
	atom.Blockquote: true, atom.Dd: true, atom.Dt: true, atom.Dl: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Pre: true,
	atom.Address: true, atom.Time: false, atom.Body: true,
}

// chromeParts, as a whole part of a class or id ("social-share",
// "field--name-field-related-documents", "footer-menu"), mark navigation,
// sharing and related-content widgets that both UN templates put around the
// release. Whole parts, so "research" does not match "search".
var chromeParts = map[string]bool{
	"share": true, "sharing": true, "social": true, "breadcrumb": true, "breadcrumbs": true,
	"related": true, "menu": true, "nav": true, "navbar": true, "navigation": true, "sidebar": true,
	"footer": true, "language": true, "cookie": true, "cookies": true, "pager": true, "pagination": true,
	"search": true, "print": true, "toolbar": true, "subscribe": true, "tags": true, "skip": true,
}

// chromeClasses are multi-part class names that hide text from readers.
var chromeClasses = []string{"visually-hidden", "sr-only", "element-invisible", "skip-link"}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func isChrome(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if skipTags[n.DataAtom] {
		return true
	}
	if _, hidden := hasAttr(n, "hidden"); hidden || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	role := attr(n, "role")
	if role == "navigation" || role == "banner" || role == "contentinfo" || role == "search" || role == "complementary" {
		return true
	}
	cls := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
	for _, c := range chromeClasses {
		if strings.Contains(cls, c) {
			return true
		}
	}
	for _, part := range strings.FieldsFunc(cls, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }) {
		if chromeParts[part] {
			return true
		}
	}
	// A site <header> holds the logo and menus; a content <header> holds the
	// h1, so keep those.
	if n.DataAtom == atom.Header && findFirst(n, atom.H1, false) == nil {
		return true
	}
	return false
}

func hasAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// findFirst returns the first element with tag a under n (depth first,
// iterative so deep nesting cannot overflow the stack). With skipChrome it
// does not look inside chrome.
func findFirst(n *html.Node, a atom.Atom, skipChrome bool) *html.Node {
	stack := []*html.Node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cur != n && cur.Type == html.ElementNode && cur.DataAtom == a {
			return cur
		}
		if skipChrome && cur != n && isChrome(cur) {
			continue
		}
		for c := cur.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return nil
}

// findMain picks the element that holds the release: <main>, role=main, the
// Drupal main-content region, the old template's #content, or <article>.
func findMain(root *html.Node) *html.Node {
	var byID, byRole, byTag, byArticle *html.Node
	stack := []*html.Node{root}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cur.Type == html.ElementNode {
			if skipTags[cur.DataAtom] {
				continue
			}
			id := strings.ToLower(attr(cur, "id"))
			switch {
			case byTag == nil && cur.DataAtom == atom.Main:
				byTag = cur
			case byRole == nil && attr(cur, "role") == "main":
				byRole = cur
			case byID == nil && (id == "main-content" || id == "content" || id == "main" || id == "content-area"):
				byID = cur
			case byArticle == nil && cur.DataAtom == atom.Article:
				byArticle = cur
			}
		}
		for c := cur.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	for _, n := range []*html.Node{byTag, byRole, byID, byArticle} {
		if n != nil {
			return n
		}
	}
	return nil
}

// extractHTML returns the main content of a UN press page as plain text with
// a blank line between paragraphs. Entities are decoded by the parser;
// <p>, <br> and other blocks become paragraph breaks. HTML nested deeper
// than the parser's 512 open elements is refused with that reason.
func extractHTML(src string) (string, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// The reader cannot fail; the parser's one refusal is nesting.
		return "", fmt.Errorf("the HTML is nested more than 512 elements deep, deeper than it can be read (%v); "+
			"save the page as text, or remove the extra nesting", err)
	}
	body := findFirst(root, atom.Body, false)
	if body == nil {
		body = root
	}
	container := findMain(body)
	if container == nil {
		container = body
	}
	var w textWriter
	// The Drupal template puts the h1 in a title region outside the main
	// content block; take it first so the headline is not lost.
	if h1 := findFirst(body, atom.H1, true); h1 != nil && !contains(container, h1) {
		w.walk(h1)
		w.flush()
	}
	w.walk(container)
	w.flush()
	return strings.Join(w.paras, "\n\n"), nil
}

func contains(outer, n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == outer {
			return true
		}
	}
	return false
}

type textWriter struct {
	paras []string
	cur   strings.Builder
	space bool // a collapsed whitespace run is pending
}

func (w *textWriter) flush() {
	s := strings.TrimSpace(w.cur.String())
	if s != "" {
		w.paras = append(w.paras, s)
	}
	w.cur.Reset()
	w.space = false
}

// text appends an HTML text node, collapsing ASCII whitespace runs the way a
// browser renders them; NBSP is kept here and normalised later, so the UN
// pages' ".&nbsp; " stays a double space.
func (w *textWriter) text(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			w.space = true
			continue
		}
		if w.space && w.cur.Len() > 0 {
			w.cur.WriteByte(' ')
		}
		w.space = false
		w.cur.WriteByte(c)
	}
}

// walk writes the text under n, iteratively: saved pages can nest deeply.
func (w *textWriter) walk(n *html.Node) {
	type frame struct {
		n     *html.Node
		leave bool
	}
	stack := []frame{{n: n}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		cur := f.n
		if f.leave {
			w.flush()
			continue
		}
		switch cur.Type {
		case html.TextNode:
			w.text(cur.Data)
			continue
		case html.ElementNode:
			if cur != n && isChrome(cur) {
				continue
			}
			if cur.DataAtom == atom.Br {
				w.flush()
				continue
			}
			if blockTags[cur.DataAtom] {
				w.flush()
				stack = append(stack, frame{n: cur, leave: true})
			}
		case html.CommentNode, html.DoctypeNode:
			continue
		}
		for c := cur.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c})
		}
	}
}
