package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/stancetrack/stancetrack/verbatim"
)

// Verbatim ingests one meeting folder of the UN Security Council Debates
// corpus (one file per speech). The stored raw document is the folder's
// speech files concatenated in name order under "==> name <==" headers, so
// the same folder always hashes the same and can be re-parsed later.
func (p *Pipeline) Verbatim(ctx context.Context, fsys fs.FS, dir string, meta *verbatim.Meta) Result {
	res := Result{Path: dir, Status: Refused}
	doc, err := verbatim.ParseDir(fsys, dir, meta)
	if err != nil {
		res.Err = err
		return res
	}
	raw, err := concatSpeeches(fsys, dir)
	if err != nil {
		res.Err = err
		return res
	}
	return p.store(ctx, dir, raw, Parsed(*doc))
}

func concatSpeeches(fsys fs.FS, dir string) ([]byte, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		// The same files verbatim.ParseDir reads: regular, not hidden, .txt
		// in any case.
		if e.Type().IsRegular() && strings.EqualFold(path.Ext(e.Name()), ".txt") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var buf bytes.Buffer
	for _, n := range names {
		b, err := fs.ReadFile(fsys, path.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", n, err)
		}
		// ParseDir already refused larger speeches; this guards a file
		// that grew between the two reads.
		if len(b) > verbatim.MaxSpeechSize {
			return nil, fmt.Errorf("%s: %w", n, verbatim.ErrTooLarge)
		}
		fmt.Fprintf(&buf, "==> %s <==\n", n)
		buf.Write(b)
		buf.WriteString("\n")
	}
	return buf.Bytes(), nil
}
