package address

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Kind is what an uploaded proof of address is.
type Kind string

// Kinds. Only bank statements and utility bills are accepted.
const (
	BankStatement Kind = "bank_statement"
	UtilityBill   Kind = "utility_bill"
	Other         Kind = "other"
)

// cue is a phrase that points to a kind, with its weight. Strong cues (3)
// name the document ("bank statement", "电费") or a unit only that kind
// has (kWh); weak cues (1) are common on it but also elsewhere.
type cue struct {
	phrase string
	weight int
}

var bankCues = []cue{
	{"bank statement", 3}, {"account statement", 3}, {"statement of account", 3}, {"kontoauszug", 3}, {"relevé de compte", 3},
	{"releve de compte", 3}, {"rekeningoverzicht", 3}, {"extracto bancario", 3}, {"estratto conto", 3},
	{"对账单", 3}, {"交易明细", 3}, {"账户明细", 3}, {"银行流水", 3}, {"存款", 1}, {"银行", 1},
	{"opening balance", 2}, {"closing balance", 2}, {"balance brought forward", 2}, {"balance carried forward", 2},
	{"previous balance", 1}, {"new balance", 1}, {"available balance", 1}, {"ending balance", 2}, {"beginning balance", 2},
	{"solde", 1}, {"kontostand", 2}, {"saldo", 1}, {"余额", 2}, {"期初", 1}, {"期末", 1},
	{"sort code", 2}, {"iban", 1}, {"bic", 1}, {"swift", 1}, {"account number", 1}, {"account no", 1},
	{"withdrawal", 1}, {"deposit", 1}, {"debit", 1}, {"credit", 1}, {"transactions", 1}, {"statement period", 1},
	{"checking", 1}, {"savings", 1}, {"current account", 2}, {"支出", 1}, {"收入", 1}, {"交易日期", 2},
}

var utilityCues = []cue{
	{"utility bill", 3}, {"electricity", 3}, {"électricité", 3}, {"electricite", 3}, {"strom", 2}, {"elektriciteit", 3},
	{"natural gas", 3}, {"gas bill", 3}, {"gas supply", 3}, {"water bill", 3}, {"water supply", 2}, {"sewerage", 3}, {"wastewater", 3},
	{"kwh", 3}, {"meter reading", 3}, {"meter number", 3}, {"meter no", 3}, {"compteur", 2}, {"zählerstand", 3}, {"m³", 1},
	{"broadband", 3}, {"fibre", 2}, {"fiber", 2}, {"internet", 1}, {"landline", 3}, {"telephone", 1}, {"mobile", 1},
	{"numéro de ligne", 3}, {"abonnement", 2}, {"abonné", 2}, {"subscriber", 2}, {"council tax", 3}, {"tv licence", 3},
	{"tariff", 2}, {"standing charge", 3}, {"billing period", 1}, {"amount due", 1}, {"supply address", 3},
	{"service address", 2}, {"adresse de l’installation", 3}, {"adresse de l'installation", 3}, {"installation", 1},
	{"电费", 3}, {"水费", 3}, {"燃气", 3}, {"煤气", 3}, {"电力", 2}, {"供电", 3}, {"供水", 3}, {"用电", 3}, {"用水", 3},
	{"电表", 3}, {"水表", 3}, {"度数", 2}, {"宽带", 3}, {"电信", 2}, {"移动", 1}, {"联通", 2}, {"话费", 3}, {"缴费", 2}, {"物业费", 3},
}

// otherCues point away from both accepted kinds: shop receipts, invoices
// for goods, payslips, letters.
var otherCues = []cue{
	{"receipt", 2}, {"cashier", 3}, {"change due", 3}, {"qty", 2}, {"quantity", 1}, {"item", 1}, {"unit price", 2},
	{"tax invoice", 2}, {"gst", 1}, {"sst", 1}, {"thank you", 1}, {"please come again", 3}, {"sdn bhd", 2},
	{"order number", 2}, {"ordernummer", 2}, {"order date", 2}, {"orderdatum", 2}, {"artikel", 2}, {"aantal", 2},
	{"menge", 2}, {"désignation", 2}, {"payslip", 3}, {"salary", 2}, {"收据", 3}, {"小票", 3}, {"发票", 2}, {"数量", 2}, {"单价", 2},
	{"incoterm", 3}, {"serial number", 2}, {"serienummer", 2}, {"delivery", 1}, {"shipping", 1},
}

// Scores are the summed cue weights per kind.
type Scores struct {
	Bank, Utility, Other int
}

// Classify decides what a proof of address is from its text. Each kind's
// cues are counted once each (a phrase repeated on every line does not
// outvote the others); the text is NFKC-normalised and lower-cased first.
// A kind is chosen when its score is at least minScore and beats both the
// other accepted kind and the "other" cues; anything else is Other. The
// thresholds favour refusal: a wrong acceptance lets a receipt stand in for
// a bill, a wrong refusal costs a resubmission.
func Classify(text string) (Kind, Scores) {
	t := strings.ToLower(norm.NFKC.String(text))
	s := Scores{Bank: score(t, bankCues), Utility: score(t, utilityCues), Other: score(t, otherCues)}
	const minScore = 4
	switch {
	case s.Bank >= minScore && s.Bank > s.Utility && s.Bank > s.Other:
		return BankStatement, s
	case s.Utility >= minScore && s.Utility >= s.Bank && s.Utility > s.Other:
		return UtilityBill, s
	}
	return Other, s
}

func score(t string, cues []cue) int {
	n := 0
	for _, c := range cues {
		if containsWord(t, c.phrase) {
			n += c.weight
		}
	}
	return n
}

// containsWord reports whether phrase occurs in t at word boundaries (for
// Latin phrases; CJK phrases match anywhere, there are no spaces).
func containsWord(t, phrase string) bool {
	for from := 0; ; {
		i := strings.Index(t[from:], phrase)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(phrase)
		if (i == 0 || !isWordByte(t[i-1]) || !isWordByte(phrase[0])) && (end == len(t) || !isWordByte(t[end]) || !isWordByte(phrase[len(phrase)-1])) {
			return true
		}
		from = i + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}
