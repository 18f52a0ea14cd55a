// Package static embeds the dashboard's CSS, JavaScript and chart assets so
// the binary serves everything itself: no CDN, works air-gapped.
//
// The echarts files under echarts/ are not committed; scripts/fetch-assets.sh
// fetches them (pinned and checksummed). The build still works without them,
// because echarts/README.md is always there, and Has tells pages to show
// "run make assets" instead of a broken chart.
package static

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed README.md css js echarts
var files embed.FS

// FS returns the embedded files, rooted at this directory
// ("css/app.css", "echarts/echarts.min.js", ...).
func FS() fs.FS { return files }

// HTTP returns the embedded files as an http.FileSystem for Fiber's
// filesystem middleware.
func HTTP() http.FileSystem { return http.FS(files) }

// Has reports whether the named file (slash-separated, relative to this
// directory) was embedded.
func Has(name string) bool {
	st, err := fs.Stat(files, name)
	return err == nil && !st.IsDir()
}

// EchartsJS and WorldMapJS are the asset paths charts load, relative to this
// directory.
const (
	EchartsJS  = "echarts/echarts.min.js"
	WorldMapJS = "echarts/maps/world.js"
)
