package static

import "testing"

func TestHas(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"README.md", true},
		{"css/app.css", true},
		{"js/app.js", true},
		{"echarts/README.md", true}, // committed, so the embed pattern always matches
		{"css", false},              // a directory is not a file
		{"nope.js", false},
		{"../static.go", false},
	}
	for _, tt := range tests {
		if got := Has(tt.name); got != tt.want {
			t.Errorf("Has(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
