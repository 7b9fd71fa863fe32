package facts

import "testing"

func TestParseVersion(t *testing.T) {
	for _, c := range []struct {
		in       string
		want     Version
		ok       bool
		kubeMin  int
		majorMin string
	}{
		{"1.30.4_1532", Version{1, 30, 4, 1532, false}, true, 30, "1.30"},
		{"4.16.12_1545_openshift", Version{4, 16, 12, 1545, true}, true, 29, "4.16"},
		{"4.14_openshift", Version{4, 14, 0, 0, true}, true, 27, "4.14"},
		{"1.29", Version{1, 29, 0, 0, false}, true, 29, "1.29"},
		{"v1.31.2", Version{1, 31, 2, 0, false}, true, 31, "1.31"},
		{"", Version{}, false, 0, ""},
		{"latest", Version{}, false, 0, ""},
		{"1.30.x_1532", Version{}, false, 0, ""},
		{"1", Version{}, false, 0, ""},
	} {
		got, ok := ParseVersion(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseVersion(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if _, minor := got.Kubernetes(); minor != c.kubeMin || got.MajorMinor() != c.majorMin {
			t.Errorf("%q: kubernetes minor %d, major.minor %s", c.in, minor, got.MajorMinor())
		}
	}
	a, _ := ParseVersion("1.30.4_1532")
	b, _ := ParseVersion("1.30.4_1540")
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("fix packs order versions")
	}
}
