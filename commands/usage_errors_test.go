package commands

import (
	"strings"
	"testing"
)

// cobra's and pflag's own errors (unknown flag or command, a missing or
// malformed value, stray arguments) reach the user in the session's
// language with exit 2, never in the libraries' fixed English.
func TestLibraryUsageErrorsAreLocalized(t *testing.T) {
	w := newWorld(t, "orphan-cluster1", session{})
	for _, c := range []struct {
		args   []string
		en, ja string
	}{
		{[]string{"check", "--nope"}, "unknown flag --nope", "不明なフラグ --nope です"},
		{[]string{"check", "-qx"}, "unknown flag -x", "不明なフラグ -x です"},
		{[]string{"check", "-c"}, "flag -c needs a value", "フラグ -c には値が必要です"},
		{[]string{"orphan", "--timeout"}, "flag --timeout needs a value", "フラグ --timeout には値が必要です"},
		{[]string{"check", "--concurrency", "many"}, "--concurrency many: use a whole number", "--concurrency many: 整数 を指定してください"},
		{[]string{"check", "---x"}, "bad flag syntax: ---x", "フラグの構文が正しくありません: ---x"},
		{[]string{"check", "extra"}, "ibmcloud ks-doctor check takes no arguments, but was given: extra", "ibmcloud ks-doctor check は引数を取りませんが、次の引数が指定されました: extra"},
		{[]string{"nosuch"}, "unknown command nosuch; the commands are: 'check', 'checks', 'explain', 'gather', 'orphan'", "不明なコマンド nosuch です。コマンドは次のとおりです: 'check', 'checks', 'explain', 'gather', 'orphan'"},
	} {
		for _, lang := range []struct{ locale, want, prefix string }{{"en_US", c.en, "FAILED\nIncorrect usage: "}, {"ja_JP", c.ja, "失敗\n使用法が正しくありません: "}} {
			stdout, stderr, code := w.run(t, lang.locale, c.args...)
			if code != 2 || stdout != "" || !strings.HasPrefix(stderr, lang.prefix+lang.want+"\n") {
				t.Errorf("%s %q: exit %d, stdout %q, stderr %q; want %q", lang.locale, c.args, code, stdout, stderr, lang.want)
			}
		}
	}
	// With no command the root prints its help, as before.
	if stdout, _, code := w.run(t, "en_US"); code != 0 || !strings.Contains(stdout, "check") {
		t.Errorf("no command: exit %d, %q", code, stdout)
	}
	if n := len(w.srv.Requests()); n != 0 {
		t.Errorf("usage errors must not reach IBM Cloud: %d requests", n)
	}
}
