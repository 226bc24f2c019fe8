package i18n

import "testing"

func TestFallbackAndCheck(t *testing.T) {
	zhCommon["__test word"] = "测试"
	defer delete(zhCommon, "__test word")
	saved := zh
	defer func() { zh = saved }()
	zh = merge(zhCommon)
	if got := T("zh-CN", "__test word"); got != "测试" {
		t.Errorf("zh-CN: %q", got)
	}
	if got := T("en", "__test word"); got != "__test word" {
		t.Errorf("en: %q", got)
	}
	if got := T("zh", "no such word"); got != "no such word" {
		t.Errorf("missing translation: %q", got)
	}
	if err := Check("fr"); err == nil {
		t.Error("fr accepted")
	}
	for _, l := range []string{"", "en", "zh", "zh-Hans"} {
		if err := Check(l); err != nil {
			t.Errorf("%q: %v", l, err)
		}
	}
}
