package render

import (
	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/diag"
)

// StatusPage is IBM Cloud's status page, filtered to Kubernetes Service
// (seed 001 "Reviewing issues and status": check the IBM Cloud status page,
// filter for the Kubernetes Service component). No machine-readable feed
// of it could be verified from public material, so ks-doctor names the
// page rather than reading it.
const StatusPage = "https://cloud.ibm.com/status?component=containers-kubernetes"

// StatusLine is the line the text report ends with when a check failed:
// where to see whether IBM Cloud itself is at fault. "" when none failed.
func StatusLine(tr *i18n.Translator, r diag.Report) string {
	for _, f := range r.Findings {
		if f.Status == diag.Fail {
			return tr.T("status.page", map[string]any{"url": StatusPage})
		}
	}
	return ""
}
