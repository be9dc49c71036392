/**
 * An amount in Chinese capital numerals (大写金额) as contracts and invoices write it, per the
 * People's Bank of China rules: 人民币壹万贰仟零伍拾元整, 人民币叁佰元零伍分. Input is fen.
 */
const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACES = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

/** 0 < n < 10000: its digits with places; inner zeros read once, trailing zeros not at all. */
function group(n: number): string {
	let out = '';
	let zero = false;
	for (let p = 3; p >= 0; p--) {
		const d = Math.floor(n / 10 ** p) % 10;
		if (d === 0) {
			zero = out !== '';
			continue;
		}
		if (zero) out += '零';
		out += DIGITS[d] + PLACES[p];
		zero = false;
	}
	return out;
}

/** Whole yuan (≥ 1) in capitals, without the 元. */
function yuanWords(n: number): string {
	const groups: number[] = [];
	for (; n > 0; n = Math.floor(n / 10_000)) groups.push(n % 10_000);
	let out = '';
	let gap = false;
	for (let i = groups.length - 1; i >= 0; i--) {
		const g = groups[i];
		if (g === 0) {
			gap = out !== '';
			continue;
		}
		// A zero between groups (a skipped group, or this group's leading zeros) is read once.
		if (out !== '' && (gap || g < 1000)) out += '零';
		out += group(g) + GROUPS[i];
		gap = false;
	}
	return out;
}

export function cnyCapital(fen: number): string {
	if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not an amount in fen: ${fen}`);
	const yuan = Math.floor(fen / 100);
	const jiao = Math.floor(fen / 10) % 10;
	const cents = fen % 10;
	if (fen === 0) return '人民币零元整';
	let out = '人民币';
	if (yuan > 0) out += yuanWords(yuan) + '元';
	if (jiao > 0) out += DIGITS[jiao] + '角';
	else if (cents > 0 && yuan > 0) out += '零';
	if (cents > 0) out += DIGITS[cents] + '分';
	else out += '整';
	return out;
}
