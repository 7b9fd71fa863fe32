package sim_test

// Official clients for the services added after the first slice, built the
// way ks-doctor builds them: a base URL from Env and a bearer token.

import (
	"errors"
	"strings"
	"testing"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication/iam"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/common/rest"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/accountmanagementv4"
	"github.com/IBM/platform-services-go-sdk/iamaccessgroupsv2"
	"github.com/IBM/platform-services-go-sdk/iamidentityv1"
	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
	"github.com/IBM/platform-services-go-sdk/usermanagementv1"
	"github.com/IBM/vpc-go-sdk/vpcv1"
	"github.com/softlayer/softlayer-go/session"
	"github.com/softlayer/softlayer-go/sl"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

func auth(token string) core.Authenticator { return &core.BearerTokenAuthenticator{BearerToken: token} }

func env(srv *sim.Server, key string) string { return srv.Env("/unused")[key] }

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func identity(t *testing.T, srv *sim.Server, token string) *iamidentityv1.IamIdentityV1 {
	svc, err := iamidentityv1.NewIamIdentityV1(&iamidentityv1.IamIdentityV1Options{URL: env(srv, "KS_DOCTOR_IAM_URL"), Authenticator: auth(token)})
	check(t, err)
	return svc
}

func users(t *testing.T, srv *sim.Server, token string) *usermanagementv1.UserManagementV1 {
	svc, err := usermanagementv1.NewUserManagementV1(&usermanagementv1.UserManagementV1Options{URL: env(srv, "KS_DOCTOR_USER_MANAGEMENT_URL"), Authenticator: auth(token)})
	check(t, err)
	return svc
}

func policies(t *testing.T, srv *sim.Server, token string) *iampolicymanagementv1.IamPolicyManagementV1 {
	svc, err := iampolicymanagementv1.NewIamPolicyManagementV1(&iampolicymanagementv1.IamPolicyManagementV1Options{URL: env(srv, "KS_DOCTOR_IAM_URL"), Authenticator: auth(token)})
	check(t, err)
	return svc
}

func groups(t *testing.T, srv *sim.Server, token string) *iamaccessgroupsv2.IamAccessGroupsV2 {
	svc, err := iamaccessgroupsv2.NewIamAccessGroupsV2(&iamaccessgroupsv2.IamAccessGroupsV2Options{URL: env(srv, "KS_DOCTOR_IAM_URL"), Authenticator: auth(token)})
	check(t, err)
	return svc
}

func accounts(t *testing.T, srv *sim.Server, token string) *accountmanagementv4.AccountManagementV4 {
	svc, err := accountmanagementv4.NewAccountManagementV4(&accountmanagementv4.AccountManagementV4Options{URL: env(srv, "KS_DOCTOR_ACCOUNT_MANAGEMENT_URL"), Authenticator: auth(token)})
	check(t, err)
	return svc
}

// vpc is the regional VPC client: the env URL with {region} filled in.
func vpc(t *testing.T, srv *sim.Server, region, token string) *vpcv1.VpcV1 {
	svc, err := vpcv1.NewVpcV1(&vpcv1.VpcV1Options{URL: strings.ReplaceAll(env(srv, "KS_DOCTOR_VPC_URL"), "{region}", region), Authenticator: auth(token)})
	check(t, err)
	return svc
}

// slBearer is a SoftLayer session on an IAM token, sent verbatim with its
// "Bearer " prefix, as the CLI stores it.
func slBearer(srv *sim.Server, token string) *session.Session {
	return &session.Session{Endpoint: env(srv, "KS_DOCTOR_SOFTLAYER_URL"), IAMToken: "Bearer " + token}
}

func slBasic(srv *sim.Server, user, key string) *session.Session {
	return session.New(user, key, env(srv, "KS_DOCTOR_SOFTLAYER_URL"))
}

// slErr asserts err is the SoftLayer error with status and exception.
func slErr(t *testing.T, err error, status int, exception string) sl.Error {
	t.Helper()
	var e sl.Error
	if !errors.As(err, &e) || e.StatusCode != status || e.Exception != exception || e.Message == "" {
		t.Fatalf("want SoftLayer %d %s, got %T %v", status, exception, err, err)
	}
	return e
}

// problem asserts a go-sdk-core error with status; the decoded body is
// returned for shape checks. Newer generated clients expose an HTTPProblem
// in the chain; older ones (usermanagementv1) return the core's SDKProblem,
// which keeps it private, so the status is read from the response.
func problem(t *testing.T, resp *core.DetailedResponse, err error, status int) map[string]any {
	t.Helper()
	var hp *core.HTTPProblem
	var sp *core.SDKProblem
	if !errors.As(err, &hp) && !errors.As(err, &sp) || resp == nil || resp.StatusCode != status {
		t.Fatalf("want HTTP %d, got resp=%v err=%v", status, resp, err)
	}
	body, _ := resp.Result.(map[string]any)
	return body
}

// cliTokens logs in with the CLI SDK's IAM client (Basic bx:bx, so a real
// refresh token comes back).
func cliTokens(t *testing.T, srv *sim.Server, apikey string) *iam.Token {
	t.Helper()
	tok, err := cliIAM(srv).GetToken(iam.APIKeyTokenRequest(apikey))
	check(t, err)
	return tok
}

func cliIAM(srv *sim.Server) iam.Interface {
	return iam.NewClient(iam.DefaultConfig(env(srv, "KS_DOCTOR_IAM_URL")), rest.NewClient())
}

// switchAccount is `ibmcloud target -c`: a refresh grant bound to another
// account and its linked infrastructure account.
func switchAccount(t *testing.T, srv *sim.Server, account, ims string) string {
	t.Helper()
	tok := cliTokens(t, srv, srv.Scenario().Session.APIKey)
	next, err := cliIAM(srv).GetToken(iam.RefreshTokenRequest(tok.RefreshToken, iam.SetAccount(account), iam.SetIMSAccount(ims)))
	check(t, err)
	return next.AccessToken
}

func ptr[T any](v T) *T { return &v }
