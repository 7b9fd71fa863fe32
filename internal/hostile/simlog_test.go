package hostile

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// The simulator's request log (internal/sim/log.go) must never hold a
// whole token, whatever shape the Authorization header has: with or
// without a scheme, any case, a tab or several spaces after it.
func TestSimLogHoldsNoToken(t *testing.T) {
	w := start(t, Options{})
	for _, auth := range []string{
		"Bearer " + w.token,
		"bearer " + w.token,
		"Bearer\t" + w.token,
		"Bearer  " + w.token,
		w.token, // no scheme at all
		"Token:" + w.token,
		"Basic " + "YXBpa2V5Ok" + w.token,
	} {
		req, _ := http.NewRequest(http.MethodGet, w.srv.URL()+rgPath+"?x="+w.token[:20], nil)
		req.Header.Set("Authorization", auth)
		req.Header.Set("User-Agent", "ks-doctor "+w.token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	for _, e := range w.srv.Requests() {
		line, _ := json.Marshal(e)
		// A third of a JWT is already a usable fragment to search for.
		for _, part := range strings.Split(w.token, ".") {
			if len(part) >= 16 && strings.Contains(string(line), part) {
				t.Errorf("sim log holds part of the token: %s", line)
				break
			}
		}
	}
	if len(w.srv.Requests()) < 8 {
		t.Fatalf("only %d requests logged", len(w.srv.Requests()))
	}
	_ = sim.PrefixIAM
}
