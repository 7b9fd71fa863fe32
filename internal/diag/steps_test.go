package diag

import "testing"

func TestStepKind(t *testing.T) {
	for cmd, want := range map[string]string{
		"ibmcloud target -r us-south -g 'team a'":                  StepTarget,
		"ibmcloud ks-doctor orphan -r us-south -g default":         StepCheck,
		"ibmcloud ks api-key info --cluster mycluster":             StepCheck,
		"ibmcloud ks credential get --region us-south":             StepCheck,
		"ibmcloud ks worker ls --cluster c":                        StepCheck,
		"ibmcloud is endpoint-gateway r011-f15 --vpc v":            StepCheck,
		"kubectl get nodes":                                        StepCheck,
		"calicoctl get nodes --config=calicoctl.cfg":               StepCheck,
		"ibmcloud ks api-key reset --region us-south":              StepDo,
		"ibmcloud ks credential unset --region us-south":           StepDo,
		"ibmcloud ks cluster config -c mycluster":                  StepDo, // writes the kubeconfig
		"ibmcloud ks worker reload --cluster c --worker w":         StepDo,
		"kubectl drain 10.176.90.11 --ignore-daemonsets":           StepDo,
		"calicoctl delete node kube-dal10-w2":                      StepDo,
		"ibmcloud iam user-policy-create jane@example.com --roles": StepDo,
	} {
		if got := stepKind(cmd); got != want {
			t.Errorf("%q: %s, want %s", cmd, got, want)
		}
	}
	f := Finding{Actor: AccountOwner, Fix: []string{"ibmcloud target -g team-a", "ibmcloud ks api-key reset --region us-south"}}
	if s := f.Steps(); s[0].Actor != User || s[1].Actor != AccountOwner || s[1].Kind != StepDo {
		t.Errorf("%+v", s)
	}
}
