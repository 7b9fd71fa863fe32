package sim

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// claims are the access-token claims the CLI SDK (core_config.IAMTokenInfo)
// and ks-doctor read. The CLI SDK treats a token without "id" as expired.
type claims struct {
	ID         string        `json:"id"`
	IAMID      string        `json:"iam_id"`
	RealmID    string        `json:"realmid"`
	Identifier string        `json:"identifier"`
	GivenName  string        `json:"given_name"`
	FamilyName string        `json:"family_name"`
	Name       string        `json:"name"`
	Email      string        `json:"email"`
	Sub        string        `json:"sub"`
	SubType    string        `json:"sub_type"`
	Account    accountClaims `json:"account"`
	Iat        int64         `json:"iat"`
	Exp        int64         `json:"exp"`
	Iss        string        `json:"iss"`
	GrantType  string        `json:"grant_type"`
	Scope      string        `json:"scope"`
	ClientID   string        `json:"client_id"`
	Aud        string        `json:"aud"`
}

type accountClaims struct {
	Valid bool   `json:"valid"`
	BSS   string `json:"bss"`
	IMS   string `json:"ims,omitempty"` // linked classic infrastructure account
}

const (
	grantAPIKey  = "urn:ibm:params:oauth:grant-type:apikey"
	grantRefresh = "refresh_token"
	// cliClient is the client id the ibmcloud CLI authenticates as (Basic bx:bx);
	// its refresh tokens are bound to it.
	cliClient = "bx"
)

// token serves POST /iam/identity/token for the apikey and refresh grants.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.iamError(w, r, http.StatusBadRequest, "SIM400", "ks-doctor-sim: malformed form body.")
		return
	}
	client := "default"
	if u, p, ok := r.BasicAuth(); ok && u == cliClient && p == cliClient {
		client = cliClient
	}
	var user *User
	account := s.sc.Account.ID // an API-key login lands in the key's account
	grant := r.PostForm.Get("grant_type")
	switch grant {
	case grantAPIKey:
		user = s.userByAPIKey(r.PostForm.Get("apikey"))
		if user == nil {
			s.iamError(w, r, http.StatusBadRequest, "BXNIM0415E", "Provided API key could not be found.")
			return
		}
	case grantRefresh:
		rt := r.PostForm.Get("refresh_token")
		s.mu.Lock()
		g, ok := s.refresh[rt]
		if ok && g.kube {
			s.mu.Unlock()
			s.refuseKubeRefresh(w, r)
			return
		}
		if ok && client == cliClient {
			delete(s.refresh, rt) // rotation: a refresh token works once
		}
		s.mu.Unlock()
		if !ok || client != cliClient {
			s.iamError(w, r, http.StatusBadRequest, "BXNIM0407E", "Provided refresh token is invalid.")
			return
		}
		user, account = s.sc.user(g.iamID), g.account // a refresh stays in its account ...
	default:
		// [I] the real service's code for an unsupported grant is not known.
		s.iamError(w, r, http.StatusBadRequest, "SIM400", "ks-doctor-sim: unsupported grant_type "+grant+".")
		return
	}
	// ... unless it asks for another one, as `ibmcloud target -c` does.
	if a := r.PostForm.Get("account"); a != "" {
		account = a
	}
	acc := s.sc.bssAccount(account)
	if acc == nil || !s.sc.isMember(user, account) ||
		r.PostForm.Get("ims_account") != "" && r.PostForm.Get("ims_account") != acc.IMS {
		// [I] the real code for "not a member of that account" is not known.
		s.iamError(w, r, http.StatusBadRequest, "SIM400", "ks-doctor-sim: the user is not a member of the requested account.")
		return
	}
	now := s.opts.Now()
	access := s.mint(user, acc, grant, client, s.issuer(r), now, now.Add(s.tokenLifetime()))
	// The real service gives an API-key login without client credentials no
	// usable refresh token.
	refresh := "not_supported"
	if client == cliClient {
		refresh = s.newRefreshToken(user, acc.ID)
	}
	resp := map[string]any{
		"access_token":  access,
		"refresh_token": refresh,
		"token_type":    "Bearer",
		"expires_in":    int64(s.tokenLifetime().Seconds()),
		"expiration":    now.Add(s.tokenLifetime()).Unix(),
		"scope":         "ibm openid",
	}
	if user.IMSUserID != 0 {
		resp["ims_user_id"] = user.IMSUserID
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) userByAPIKey(key string) *User {
	if key == "" {
		return nil
	}
	if key == s.sc.Session.APIKey {
		return s.sc.user(s.sc.Session.User)
	}
	for i, u := range s.sc.Users {
		for _, k := range u.APIKeys {
			if k == key {
				return &s.sc.Users[i]
			}
		}
	}
	return nil
}

func (s *Server) issuer(r *http.Request) string {
	if s.url != "" {
		return s.url + PrefixIAM + "/identity"
	}
	return "http://" + r.Host + PrefixIAM + "/identity"
}

// mint builds a JWT for user. It is HMAC-signed with a per-server key so the
// server accepts only its own tokens; clients never check the signature.
func (s *Server) mint(u *User, acc *bssAccount, grant, client, iss string, iat, exp time.Time) string {
	given, family, _ := strings.Cut(u.Name, " ")
	realm, ident, _ := strings.Cut(u.IAMID, "-")
	c := claims{
		ID: u.IAMID, IAMID: u.IAMID, RealmID: realm, Identifier: ident,
		GivenName: given, FamilyName: family, Name: u.Name, Email: u.Email, Sub: u.Email, SubType: "User",
		Account: accountClaims{Valid: true, BSS: acc.ID, IMS: acc.IMS},
		Iat:     iat.Unix(), Exp: exp.Unix(), Iss: iss, GrantType: grant, Scope: "ibm openid",
		ClientID: client, Aud: client,
	}
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(c)
	signing := enc.EncodeToString([]byte(`{"kid":"ks-doctor-sim","alg":"HS256"}`)) + "." + enc.EncodeToString(payload)
	return signing + "." + enc.EncodeToString(s.sign(signing))
}

func (s *Server) sign(data string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// refreshGrant is what a live refresh token stands for. kube marks the one
// in the kubeconfig writeKube leaves (client "kube", as `ibmcloud ks
// cluster config` gets it): spending it would rotate the token kubectl
// relies on, so a refresh with it is refused as a violation.
type refreshGrant struct {
	iamID, account string
	kube           bool
}

func (s *Server) newRefreshToken(u *User, account string) string {
	return s.newRefresh(refreshGrant{iamID: u.IAMID, account: account})
}

func (s *Server) newRefresh(g refreshGrant) string {
	b := make([]byte, 48)
	rand.Read(b)
	rt := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	s.refresh[rt] = g
	s.secrets[rt] = true // for log scrubbing, even after rotation
	s.mu.Unlock()
	return rt
}

// issueSession mints an access/refresh pair for the scenario's session user,
// as `ibmcloud login` would get; expired backdates the access token.
func (s *Server) issueSession(expired bool) (access, refresh string) {
	u := s.sc.user(s.sc.Session.User)
	now := s.opts.Now()
	iat, exp := now, now.Add(s.tokenLifetime())
	if expired {
		iat, exp = now.Add(-2*time.Hour), now.Add(-time.Hour)
	}
	acc := s.sc.bssAccount(s.sc.Account.ID)
	return s.mint(u, acc, grantAPIKey, cliClient, s.url+PrefixIAM+"/identity", iat, exp), s.newRefreshToken(u, acc.ID)
}

// authenticate accepts "Bearer <jwt>" minted by this server and not expired.
func (s *Server) authenticate(r *http.Request) (*claims, bool) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return nil, false
	}
	return s.verify(tok)
}

// verify checks a JWT's signature and expiry.
func (s *Server) verify(tok string) (*claims, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, s.sign(parts[0]+"."+parts[1])) {
		return nil, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c claims
	if err != nil || json.Unmarshal(payload, &c) != nil || c.ID == "" {
		return nil, false
	}
	if !s.opts.Now().Before(time.Unix(c.Exp, 0)) {
		return nil, false
	}
	return &c, true
}

// caller is an authenticated platform request: who, in which account.
type caller struct {
	*claims
	user    *User       // nil only if the scenario lost the user
	account *bssAccount // the account the token is bound to
}

// home tells whether the token is bound to the scenario's own account,
// which owns every cluster, group, policy and VPC.
func (c *caller) home(sc *Scenario) bool { return c.account != nil && c.account.ID == sc.Account.ID }

// bearer authenticates a platform call, writing the service's 401 when the
// token is missing, malformed, foreign or expired.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request, code, msg string) (*caller, bool) {
	c, ok := s.authenticate(r)
	if !ok {
		s.fail(w, r, http.StatusUnauthorized, code, msg)
		return nil, false
	}
	return &caller{claims: c, user: s.sc.user(c.IAMID), account: s.sc.bssAccount(c.Account.BSS)}, true
}

// allowed writes 403 when the scenario denies the caller this read.
func (s *Server) allowed(w http.ResponseWriter, r *http.Request, c *caller, read, code, msg string) bool {
	if c.user.denies(read) {
		s.fail(w, r, http.StatusForbidden, code, msg)
		return false
	}
	return true
}

// iamCaller is the gate of IAM's reads (API keys, account settings,
// policies, access groups): a token of this simulator, else 401 SIM401.
func iamCaller(s *Server, w http.ResponseWriter, r *http.Request) (*caller, bool) {
	return s.bearer(w, r, "SIM401", "ks-doctor-sim: the access token is missing, malformed, foreign or expired.")
}

// iamError writes IAM's error body; the CLI SDK special-cases errorCode.
func (s *Server) iamError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	now := s.opts.Now().UTC().Format(time.RFC3339Nano)
	writeJSON(w, status, map[string]any{
		"errorCode":    code,
		"errorMessage": msg,
		"context": map[string]string{
			"requestId":   newID(),
			"requestType": iamRequestType(r),
			"userAgent":   r.UserAgent(),
			"url":         s.issuer(r),
			"instanceId":  "iamid-sim-0",
			"threadId":    "1",
			"host":        "ks-doctor-sim",
			"startTime":   now,
			"endTime":     now,
			"elapsedTime": "0",
			"locale":      "en_US",
			"clusterName": "iam-id-sim",
		},
	})
}

// iamRequestType names the IAM component in the error context, as the real
// bodies do.
func iamRequestType(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, PrefixIAM)
	switch {
	case p == "/identity/token":
		return "incoming.Identity_Token"
	case strings.HasPrefix(p, "/v1/apikeys"):
		return "incoming.ApiKey_Read"
	case strings.HasPrefix(p, "/v1/accounts/"):
		return "incoming.Account_Settings"
	}
	return "incoming.Iam_Read"
}

// tokenLifetime is how long minted access tokens live: Options.TokenLifetime
// if set, else the scenario's session.tokenLifetime.
func (s *Server) tokenLifetime() time.Duration {
	if s.opts.TokenLifetime > 0 {
		return s.opts.TokenLifetime
	}
	return s.sc.Session.TokenLifetime
}
