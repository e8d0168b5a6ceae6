import { Rng } from './random.ts';
import { dayNumber, ledgerDateStart, type TimeZone } from './calendar.ts';
import { profiles, type BusinessProfile, type ProfileName } from './profiles.ts';

/**
 * The emulated world: accounting partners and the ledgers they were granted. The shape (which
 * kinds of ledger exist and who may see them) is fixed, so tests can rely on every trait being
 * present; identifiers, names and numbers come from the seed.
 */

export type LedgerKind = 'vm' | 'mpos' | 'epayment';
export type Country = 'NO' | 'DK' | 'FI';
export type SettlementFrequency = 'daily' | 'weekly' | 'monthly';
export type FeeSettlement = 'net' | 'gross';

export interface DemoPartner {
  name: string;
  clientId: string;
  clientSecret: string;
  ledgerIds: string[];
}

export interface SalesUnit {
  name: string;
  recipientHandle: string;
  businessIdentifier: { scheme: string; id: string };
}

export interface LedgerSpec {
  /** Position in the catalogue; part of every generated identifier, so identifiers never collide. */
  slot: number;
  ledgerId: string;
  kind: LedgerKind;
  country: Country;
  currency: 'NOK' | 'DKK' | 'EUR';
  timeZone: TimeZone;
  cutoffHour: number;
  settlement: SettlementFrequency;
  feeSettlement: FeeSettlement;
  /** Rolling reserve in minor units: payouts leave this much on the ledger. */
  reserve: number;
  busiest: boolean;
  grantedTo: string[];
  owner: { scheme: string; id: string };
  payoutBankAccount: { scheme: string; id: string };
  salesUnits: SalesUnit[];
  profile: BusinessProfile;
  /**
   * First instant with any data. Most ledgers start at the Sales API's availability floor of
   * their kind of sales; older ledgers have Report history from before it, as in production.
   */
  historyStart: number;
  /** Capture fee: basis points of the amount plus a fixed part in minor units. */
  feeBasisPoints: number;
  feeFixed: number;
  /** The payout number before the first payout. */
  firstPayoutNumber: number;
  /** A monthly subscription on the fees account (a card terminal's rent), in minor units; 0 for none. */
  serviceFee: number;
  /** Rare events this ledger is chosen to show. */
  events: { negativeBalance: boolean; payoutAborts: boolean; glitches: boolean };
}

export const floors = {
  MPOS: Date.parse('2026-03-09T12:45:00Z'),
  VARIABLE_AMOUNT: Date.parse('2026-03-16T09:28:00Z'),
  SHOPPING_BASKET: Date.parse('2026-04-22T11:04:00Z'),
};

interface Template {
  kind: LedgerKind;
  country: Country;
  profile: ProfileName;
  names: readonly string[];
  units?: number;
  cutoffHour?: number;
  settlement?: SettlementFrequency;
  feeSettlement?: FeeSettlement;
  reserveMajor?: number;
  busiest?: boolean;
  /** Indexes into the partner list. */
  grantedTo: readonly number[];
  events?: Partial<LedgerSpec['events']>;
  /** First ledger date of a ledger older than the Sales API (`YYYY-MM-DD`). */
  reportSince?: string;
}

const partnerNames = ['Demo Regnskap AS', 'Nordisk Bogføring ApS', 'Tilitoimisto Kirjanpito Oy'];

const templates: readonly Template[] = [
  { kind: 'vm', country: 'NO', profile: 'cafe', names: ['Kaffebrenneriet Grünerløkka', 'Café Solsiden', 'Bakgården Kafé'], grantedTo: [0, 1], events: { payoutAborts: true, glitches: true }, reportSince: '2026-02-02' },
  { kind: 'vm', country: 'NO', profile: 'grocery', names: ['Torgmarkedet', 'Byens Matmarked', 'Nærbutikken Sentrum'], busiest: true, grantedTo: [0] },
  { kind: 'mpos', country: 'NO', profile: 'interiorShop', names: ['Form & Farge', 'Hjem og Hygge', 'Nordlys Interiør'], settlement: 'weekly', grantedTo: [0], events: { glitches: true }, reportSince: '2026-02-16' },
  { kind: 'vm', country: 'NO', profile: 'foodTruck', names: ['Gatekjøkkenet', 'Taco Truck Vest', 'Matvogna'], units: 2, reserveMajor: 5000, grantedTo: [0], events: { payoutAborts: true } },
  { kind: 'vm', country: 'NO', profile: 'bar', names: ['Nattbaren', 'Kroa på Hjørnet', 'Baren Mørketid'], cutoffHour: 4, grantedTo: [0] },
  { kind: 'vm', country: 'NO', profile: 'sportsClub', names: ['Skogheim Idrettslag', 'Fjellby IL', 'Vikan Sportsklubb'], settlement: 'monthly', feeSettlement: 'gross', grantedTo: [0] },
  { kind: 'vm', country: 'DK', profile: 'bakeryDk', names: ['Bageriet Nørrebro', 'Østerbro Bageri', 'Havnens Brød'], grantedTo: [0], events: { glitches: true }, reportSince: '2026-03-02' },
  { kind: 'epayment', country: 'NO', profile: 'webshop', names: ['Nettbutikken Fjord', 'Turutstyr.no', 'Bokhylla Online'], grantedTo: [0] },
  { kind: 'vm', country: 'NO', profile: 'yarnShop', names: ['Strikkestua', 'Garnkroken', 'Ull og Pinner'], grantedTo: [0], events: { negativeBalance: true, payoutAborts: true } },
  { kind: 'vm', country: 'FI', profile: 'kioskFi', names: ['Kioski Kallio', 'Torin Kioski', 'Rantakioski'], grantedTo: [2] },
  { kind: 'mpos', country: 'FI', profile: 'bookshopFi', names: ['Kirjakauppa Aalto', 'Pieni Kirjapuoti', 'Sivu ja Kansi'], settlement: 'weekly', grantedTo: [1, 2] },
  { kind: 'mpos', country: 'DK', profile: 'floristDk', names: ['Blomsterhjørnet', 'Frederiksberg Blomster', 'Rosenhaven'], grantedTo: [] },
];

const countryFacts = {
  NO: { currency: 'NOK', timeZone: 'Europe/Oslo', orgScheme: 'business:NO:ORG', bankScheme: 'BBAN:NO', terminalRent: 29_900 },
  DK: { currency: 'DKK', timeZone: 'Europe/Copenhagen', orgScheme: 'business:DK:CVR', bankScheme: 'BBAN:DK', terminalRent: 24_900 },
  FI: { currency: 'EUR', timeZone: 'Europe/Helsinki', orgScheme: 'business:FI:Y-tunnus', bankScheme: 'IBAN:FI', terminalRent: 3_900 },
} as const;

function digits(rng: Rng, count: number): string {
  let text = String(rng.int(1, 9));
  while (text.length < count) text += String(rng.int(0, 9));
  return text;
}

function organisationId(rng: Rng, country: Country): string {
  if (country === 'NO') return `9${digits(rng, 8)}`;
  if (country === 'DK') return digits(rng, 8);
  return `${digits(rng, 7)}-${rng.int(0, 9)}`;
}

function bankAccountId(rng: Rng, country: Country): string {
  if (country === 'NO') return digits(rng, 11);
  if (country === 'DK') return digits(rng, 14);
  return `FI${digits(rng, 16)}`;
}

function uniqueNumber(rng: Rng, used: Set<string>, length: number): string {
  for (;;) {
    const candidate = digits(rng, length);
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}

function hexId(rng: Rng, length: number): string {
  let text = '';
  while (text.length < length) text += rng.int(0, 15).toString(16);
  return text;
}

function secret(rng: Rng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let text = '';
  for (let i = 0; i < 40; i++) text += alphabet[rng.int(0, alphabet.length - 1)];
  return text;
}

export interface Catalog {
  partners: DemoPartner[];
  /** Sorted by ledgerId, the order the ledger list pages in. */
  ledgers: LedgerSpec[];
  byId: Map<string, LedgerSpec>;
}

export function buildCatalog(seed: string): Catalog {
  const rng = new Rng(seed, 'catalog');
  const partners: DemoPartner[] = partnerNames.map((name) => ({
    name,
    clientId: `${hexId(rng, 8)}-${hexId(rng, 4)}-4${hexId(rng, 3)}-a${hexId(rng, 3)}-${hexId(rng, 12)}`,
    clientSecret: secret(rng),
    ledgerIds: [],
  }));
  const usedIds = new Set<string>();
  const usedHandles = new Set<string>();
  const ledgers = templates.map((template, slot): LedgerSpec => {
    const facts = countryFacts[template.country];
    const profile: BusinessProfile = profiles[template.profile];
    const name = rng.pick(template.names);
    const owner = { scheme: facts.orgScheme, id: organisationId(rng, template.country) };
    const salesUnits = Array.from({ length: template.units ?? 1 }, (_, index): SalesUnit => {
      const number = uniqueNumber(rng, usedHandles, template.kind === 'epayment' ? 6 : rng.int(5, 6));
      const prefix = template.kind === 'epayment' ? 'api' : template.country;
      return {
        name: template.units === undefined ? name : `${name} ${['Bergen', 'Trondheim', 'Stavanger'][index]}`,
        recipientHandle: `${prefix}:${number}`,
        businessIdentifier: owner,
      };
    });
    const grantedTo = template.grantedTo.flatMap((index) => (partners[index] ? [partners[index].clientId] : []));
    const floor = template.kind === 'vm' ? floors.VARIABLE_AMOUNT : floors.MPOS;
    const timeZone = facts.timeZone;
    const cutoffHour = template.cutoffHour ?? 0;
    const historyStart = template.reportSince === undefined ? floor : ledgerDateStart({ timeZone, cutoffHour }, dayNumber(template.reportSince));
    return {
      slot,
      ledgerId: uniqueNumber(rng, usedIds, 6),
      kind: template.kind,
      country: template.country,
      currency: facts.currency,
      timeZone,
      cutoffHour,
      settlement: template.settlement ?? 'daily',
      feeSettlement: template.feeSettlement ?? 'net',
      reserve: (template.reserveMajor ?? 0) * 100,
      busiest: template.busiest ?? false,
      grantedTo,
      owner,
      payoutBankAccount: { scheme: facts.bankScheme, id: bankAccountId(rng, template.country) },
      salesUnits,
      profile,
      historyStart,
      feeBasisPoints: template.kind === 'mpos' ? rng.int(139, 199) : rng.int(149, 299),
      feeFixed: template.kind === 'epayment' ? 100 : rng.pick([0, 0, 50, 100]),
      firstPayoutNumber: 2_000_000 + rng.int(1, 900) * 100,
      // Card terminals are rented by the month: mPOS ledgers pay a service fee.
      serviceFee: template.kind === 'mpos' ? facts.terminalRent : 0,
      events: { negativeBalance: false, payoutAborts: false, glitches: false, ...template.events },
    };
  });
  ledgers.sort((a, b) => a.ledgerId.localeCompare(b.ledgerId));
  for (const ledger of ledgers) {
    for (const clientId of ledger.grantedTo) partners.find((partner) => partner.clientId === clientId)?.ledgerIds.push(ledger.ledgerId);
  }
  return { partners, ledgers, byId: new Map(ledgers.map((ledger) => [ledger.ledgerId, ledger])) };
}
