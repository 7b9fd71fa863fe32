package facts

import (
	"strconv"
	"strings"
	"time"
)

// Version is a cluster or worker version as IKS writes it: Kubernetes
// "1.30.4_1532" (major.minor.patch, then IBM's fix pack) or Red Hat
// OpenShift "4.16.12_1545_openshift".
type Version struct {
	Major, Minor, Patch, Fix int
	OpenShift                bool
}

// ParseVersion reads an IKS version; ok is false for anything else. A
// version without a fix pack ("1.30" or "1.30.4", as users and some lists
// write it) parses with the missing parts zero.
func ParseVersion(s string) (v Version, ok bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.ToLower(s), "v"))
	if rest, found := strings.CutSuffix(s, "_openshift"); found {
		s, v.OpenShift = rest, true
	}
	semver, fix, hasFix := strings.Cut(s, "_")
	parts := strings.Split(semver, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, false
	}
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Version{}, false
		}
		*nums[i] = n
	}
	if hasFix {
		n, err := strconv.Atoi(fix)
		if err != nil || n < 0 {
			return Version{}, false
		}
		v.Fix = n
	}
	return v, true
}

// Kubernetes is the Kubernetes minor version a version runs: itself, or for
// OpenShift 4.y, Kubernetes 1.(y+13) (OpenShift 4.6 runs 1.19 … 4.16 runs
// 1.29, per Red Hat's release notes), for Kubernetes' own skew policy.
func (v Version) Kubernetes() (major, minor int) {
	if v.OpenShift && v.Major == 4 {
		return 1, v.Minor + 13
	}
	return v.Major, v.Minor
}

// Compare orders versions of one product: -1, 0 or 1.
func (v Version) Compare(o Version) int {
	for _, d := range [][2]int{{v.Major, o.Major}, {v.Minor, o.Minor}, {v.Patch, o.Patch}, {v.Fix, o.Fix}} {
		switch {
		case d[0] < d[1]:
			return -1
		case d[0] > d[1]:
			return 1
		}
	}
	return 0
}

// MajorMinor is "1.30" or "4.16": what IKS's supported-version list and
// end-of-support dates are keyed by.
func (v Version) MajorMinor() string {
	return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor)
}

// SupportedVersion is one entry of IKS's list of versions
// (container-services-go-sdk: GetVersions, GET /v1/versions, KubeVersion:
// major, minor, patch, default, end_of_service). The list names only the
// versions IKS still supports; an entry with an end of service is deprecated.
type SupportedVersion struct {
	Version      Version // Major.Minor.Patch; no fix pack in this list
	Default      bool
	EndOfService time.Time // zero when none is announced
}

// SupportedVersions are the lists of both products.
type SupportedVersions struct {
	Kubernetes []SupportedVersion
	OpenShift  []SupportedVersion
}

// Of is the list of the product v belongs to.
func (s SupportedVersions) Of(v Version) []SupportedVersion {
	if v.OpenShift {
		return s.OpenShift
	}
	return s.Kubernetes
}

// Find is the entry of v's major.minor, if IKS still lists it.
func (s SupportedVersions) Find(v Version) (SupportedVersion, bool) {
	for _, e := range s.Of(v) {
		if e.Version.Major == v.Major && e.Version.Minor == v.Minor {
			return e, true
		}
	}
	return SupportedVersion{}, false
}

// ParseEOS reads an end-of-support date as IKS writes it (a day, an IKS
// timestamp or RFC 3339); the zero time for "" or anything else.
func ParseEOS(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04:05-0700", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
