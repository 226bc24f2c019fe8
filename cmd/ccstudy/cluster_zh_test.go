package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestClusterChineseCostAndReasons: under --lang zh the settings line's
// cost and the reason a criterion was not computed are in Chinese (they
// were English, left open at stop 21), while JSON settings.cost stays
// English for scripts.
func TestClusterChineseCostAndReasons(t *testing.T) {
	args := []string{"cluster", "--k", "4", "--boot-b", "2"}
	out, errOut, code := runCLI(t, "", append(args, "--lang", "zh")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, en := range []string{"k-means runs cost", "gap statistic: not computed", "not computed: k was set with --k"} {
		if strings.Contains(out, en) {
			t.Errorf("--lang zh output still says %q", en)
		}
	}
	for _, zh := range []string{"计算量: k 均值每次迭代计算量", "未计算：k 由 --k 指定"} {
		if !strings.Contains(out, zh) {
			t.Errorf("--lang zh output lacks %q:\n%s", zh, out)
		}
	}
	js, _, code := runCLI(t, "", append(args, "--lang", "zh", "--format", "json")...)
	var res struct {
		Settings struct{ Cost string } `json:"settings"`
	}
	if err := json.Unmarshal([]byte(js), &res); code != 0 || err != nil || !strings.HasPrefix(res.Settings.Cost, "k-means runs cost O(n·k·p)") {
		t.Errorf("JSON settings.cost = %q (exit %d, %v), want the English text", res.Settings.Cost, code, err)
	}
}
