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
		iamID, ok := s.refresh[rt]
		if ok && client == cliClient {
			delete(s.refresh, rt) // rotation: a refresh token works once
		}
		s.mu.Unlock()
		if !ok || client != cliClient {
			s.iamError(w, r, http.StatusBadRequest, "BXNIM0407E", "Provided refresh token is invalid.")
			return
		}
		user = s.sc.user(iamID)
	default:
		// [I] the real service's code for an unsupported grant is not known.
		s.iamError(w, r, http.StatusBadRequest, "SIM400", "ks-doctor-sim: unsupported grant_type "+grant+".")
		return
	}
	if acc := r.PostForm.Get("account"); acc != "" && acc != s.sc.Account.ID ||
		r.PostForm.Get("ims_account") != "" && r.PostForm.Get("ims_account") != s.sc.Account.IMSAccount {
		// [I] the real code for "not a member of that account" is not known.
		s.iamError(w, r, http.StatusBadRequest, "SIM400", "ks-doctor-sim: the user is not a member of the requested account.")
		return
	}
	now := s.opts.Now()
	access := s.mint(user, grant, client, s.issuer(r), now, now.Add(s.sc.Session.TokenLifetime))
	// The real service gives an API-key login without client credentials no
	// usable refresh token.
	refresh := "not_supported"
	if client == cliClient {
		refresh = s.newRefreshToken(user)
	}
	resp := map[string]any{
		"access_token":  access,
		"refresh_token": refresh,
		"token_type":    "Bearer",
		"expires_in":    int64(s.sc.Session.TokenLifetime.Seconds()),
		"expiration":    now.Add(s.sc.Session.TokenLifetime).Unix(),
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
func (s *Server) mint(u *User, grant, client, iss string, iat, exp time.Time) string {
	given, family, _ := strings.Cut(u.Name, " ")
	realm, ident, _ := strings.Cut(u.IAMID, "-")
	c := claims{
		ID: u.IAMID, IAMID: u.IAMID, RealmID: realm, Identifier: ident,
		GivenName: given, FamilyName: family, Name: u.Name, Email: u.Email, Sub: u.Email, SubType: "User",
		Account: accountClaims{Valid: true, BSS: s.sc.Account.ID, IMS: s.sc.Account.IMSAccount},
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

func (s *Server) newRefreshToken(u *User) string {
	b := make([]byte, 48)
	rand.Read(b)
	rt := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	s.refresh[rt] = u.IAMID
	s.secrets[rt] = true // for log scrubbing, even after rotation
	s.mu.Unlock()
	return rt
}

// issueSession mints an access/refresh pair for the scenario's session user,
// as `ibmcloud login` would get; expired backdates the access token.
func (s *Server) issueSession(expired bool) (access, refresh string) {
	u := s.sc.user(s.sc.Session.User)
	now := s.opts.Now()
	iat, exp := now, now.Add(s.sc.Session.TokenLifetime)
	if expired {
		iat, exp = now.Add(-2*time.Hour), now.Add(-time.Hour)
	}
	return s.mint(u, grantAPIKey, cliClient, s.url+PrefixIAM+"/identity", iat, exp), s.newRefreshToken(u)
}

// authenticate accepts "Bearer <jwt>" minted by this server and not expired.
func (s *Server) authenticate(r *http.Request) (*claims, bool) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return nil, false
	}
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

// iamError writes IAM's error body; the CLI SDK special-cases errorCode.
func (s *Server) iamError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	now := s.opts.Now().UTC().Format(time.RFC3339Nano)
	writeJSON(w, status, map[string]any{
		"errorCode":    code,
		"errorMessage": msg,
		"context": map[string]string{
			"requestId":   newID(),
			"requestType": "incoming.Identity_Token",
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
