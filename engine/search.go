package engine

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Searching text in English and Persian on any MongoDB-compatible store:
// FerretDB v1 has no $text, so text is folded and cut into search tokens
// when it is stored, and a search asks for documents holding every token
// of the query ($all on an indexed array), which every store serves.
//
// Folding makes what people type match what was written: lower case;
// Arabic letter forms that Persian keyboards and texts mix (ي ى → ی, ك → ک,
// ة ۀ → ه, أ إ آ ٱ → ا, ؤ → و); Persian and Arabic-Indic digits as ASCII;
// diacritics, tatweel and the zero-width non-joiner dropped (می‌خواهم and
// میخواهم are one word). A token is a word of the folded text, or a
// prefix of one of at least minPrefix letters, so that "print" finds
// "printer" and "چاپگر" finds "چاپگرها".

// minPrefix is the shortest prefix kept as a token; maxWord the longest
// word (longer ones are cut).
const (
	minPrefix = 3
	maxWord   = 30
	// maxTokens bounds the tokens of one text.
	maxTokens = 5000
)

var foldLetters = map[rune]rune{
	'ي': 'ی', 'ى': 'ی', 'ك': 'ک', 'ة': 'ه', 'ۀ': 'ه',
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ؤ': 'و',
}

// FoldText folds s for search (see above).
func FoldText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r == '\u200C' || r == '\u200D' || r == 'ـ' || unicode.Is(unicode.Mn, r):
			return -1
		}
		if f, ok := foldLetters[r]; ok {
			return f
		}
		return unicode.ToLower(r)
	}, s)
}

// stopWords are too common to search by; folded.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be by for from has have i in is it its of on or
		that the this to was were will with you your we our not can
		و در به از که را این آن با است برای یک تا هم می ها شد شده بود ما شما او من هر یا اگر`) {
		m[FoldText(w)] = true
	}
	return m
}()

// searchWords returns the folded words of s, once each, in order, without
// stop words; a word is a run of letters and digits.
func searchWords(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(FoldText(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) > maxWord {
			w = string([]rune(w)[:maxWord])
		}
		if utf8.RuneCountInString(w) < 2 || stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// searchTokens returns the tokens texts are found by: their words and
// the words' prefixes of minPrefix letters or more, sorted; at most
// maxTokens, from the first words on.
func searchTokens(texts ...string) []string {
	set := map[string]bool{}
	add := func(t string) {
		if len(set) < maxTokens {
			set[t] = true
		}
	}
	for _, t := range texts {
		for _, w := range searchWords(t) {
			runes := []rune(w)
			add(w)
			for n := minPrefix; n < len(runes); n++ {
				add(string(runes[:n]))
			}
		}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// hasArabicScript reports whether s has a letter of the Arabic script
// (Persian text).
func hasArabicScript(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) }) >= 0
}
