package ibm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"sync"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/session"
	"golang.org/x/sync/errgroup"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// accounts lists the classic infrastructure accounts this session can read,
// the session's own linked account first: the linked account of every other
// IBM Cloud account the user belongs to, through a token bound to that
// account (what `ibmcloud target -c` does, without touching config.json),
// and the accounts of extra classic credentials.
func (c *Client) accounts(ctx context.Context, sess facts.Session, extra []ClassicCredential) ([]*classic, []facts.Rejected) {
	var out []*classic
	var rejected []facts.Rejected
	have := map[string]bool{}
	if l := c.linked(sess.IMSAccountID); l != nil {
		out = append(out, l)
		have[l.account] = true
	}
	others, _ := c.memberAccounts(ctx)
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	for _, a := range others {
		if a.ims == "" || have[a.ims] || a.id == sess.AccountID {
			continue
		}
		have[a.ims] = true
		g.Go(func() error {
			tok, err := c.tokenFor(gctx, a.id, a.ims)
			if err != nil {
				return nil // not reachable: its clusters' devices stay unfound
			}
			mu.Lock()
			out = append(out, &classic{account: a.ims, sess: c.slSession("Bearer " + tok)})
			mu.Unlock()
			return nil
		})
	}
	for _, cr := range extra {
		g.Go(func() error {
			s := c.slSession("")
			s.UserName, s.APIKey = cr.Username, cr.APIKey
			id, err := accountOf(gctx, s)
			if err != nil {
				mu.Lock()
				rejected = append(rejected, facts.Rejected{Source: cr.Source, Username: cr.Username, Err: err})
				mu.Unlock()
				return nil
			}
			mu.Lock()
			if !slices.ContainsFunc(out, func(x *classic) bool { return x.account == id }) {
				out = append(out, &classic{account: id, sess: s})
			}
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait()
	sort.SliceStable(out, func(i, j int) bool {
		if li, lj := out[i].account == sess.IMSAccountID, out[j].account == sess.IMSAccountID; li != lj {
			return li // the session's own linked account first
		}
		return out[i].account < out[j].account
	})
	sort.Slice(rejected, func(i, j int) bool { return rejected[i].Source < rejected[j].Source })
	return out, rejected
}

// accountOf is the infrastructure account a classic username belongs to.
func accountOf(ctx context.Context, s *session.Session) (string, error) {
	cp := *s
	cp.Context = ctx
	a, err := services.GetAccountService(&cp).Mask("id").GetObject()
	if err != nil {
		return "", slError("softlayer: SoftLayer_Account", err)
	}
	return itoa(a.Id), nil
}

type memberAccount struct{ id, ims string }

// memberAccounts lists the IBM Cloud accounts the user belongs to, with the
// classic infrastructure account each links, as `ibmcloud account list`
// does, following next_url (bluemix-go api/account/accountv2) so accounts
// past the first page are searched too. No official Go client covers this
// call, so it goes through go-sdk-core's request builder on the account
// management service.
func (c *Client) memberAccounts(ctx context.Context) ([]memberAccount, error) {
	const op = "ibmcloud account list"
	var out []memberAccount
	path, query := "/coe/v2/accounts", url.Values{}
	for range maxPages {
		b := core.NewRequestBuilder(core.GET).WithContext(ctx)
		if _, err := b.ResolveRequestURL(c.account.Service.GetServiceURL(), path, nil); err != nil {
			return out, err
		}
		for k, vs := range query {
			b.AddQuery(k, vs[0])
		}
		b.AddHeader("Accept", "application/json")
		req, err := b.Build()
		if err != nil {
			return out, err
		}
		var body struct {
			NextURL   string `json:"next_url"`
			Resources []struct {
				Metadata struct {
					GUID string `json:"guid"`
				} `json:"metadata"`
				Entity struct {
					Subscriptions []struct {
						IMS string `json:"softlayer_account_id"`
					} `json:"bluemix_subscriptions"`
				} `json:"entity"`
			} `json:"resources"`
		}
		var raw json.RawMessage
		resp, err := c.account.Service.Request(req, &raw)
		if err != nil {
			return out, readError(op, resp, err)
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			return out, fmt.Errorf("%s: %w", op, err)
		}
		for _, r := range body.Resources {
			a := memberAccount{id: r.Metadata.GUID}
			for _, s := range r.Entity.Subscriptions {
				if s.IMS != "" {
					a.ims = s.IMS
				}
			}
			out = append(out, a)
		}
		next, err := url.Parse(body.NextURL)
		if body.NextURL == "" || err != nil || len(body.Resources) == 0 {
			return out, nil
		}
		path, query = next.Path, next.Query()
	}
	return out, errTooManyPages(op)
}
