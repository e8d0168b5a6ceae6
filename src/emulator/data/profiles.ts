/**
 * What kind of business sits behind a ledger: opening hours, how busy it is, what it sells and
 * how it is paid. Prices are minor units of the ledger's currency; a `vatRate` of null is a
 * product the merchant registered without VAT, which is how partial and missing VAT arise.
 */

export type Solution = 'VARIABLE_AMOUNT' | 'SHOPPING_BASKET' | 'MPOS' | 'EPAYMENT';
export type PaymentType = 'WALLET' | 'CARD' | 'CASH';

export interface Product {
  id: string;
  name: string;
  price: number;
  vatRate: number | null;
  category: string | null;
}

/** Local opening hours, relative to midnight of the ledger date (a close past 24 is after midnight). */
export type Hours = readonly [open: number, close: number] | null;

export interface BusinessProfile {
  /** Mean number of sales on an ordinary day, before weekday and season. */
  salesPerDay: number;
  /** Sunday … Saturday. */
  hours: readonly [Hours, Hours, Hours, Hours, Hours, Hours, Hours];
  /** Busy hours as bumps on a flat level: [local hour, extra height]. */
  peaks: ReadonlyArray<readonly [number, number]>;
  /** Sunday … Saturday. */
  weekdayFactor: readonly [number, number, number, number, number, number, number];
  /** Retail reacts to Black Friday and Christmas; a sports club does not. */
  retailSeason: boolean;
  /** Mean number of order lines in a basket. */
  basketLines: number;
  solutions: ReadonlyArray<readonly [Solution, number]>;
  payments: ReadonlyArray<readonly [PaymentType, number]>;
  products: readonly Product[];
  openAmount: { min: number; max: number; vatRate: number | null; vatShare: number };
  salesCategories: ReadonlyArray<string | null>;
}

const daily = (hours: Hours): BusinessProfile['hours'] => [hours, hours, hours, hours, hours, hours, hours];
const p = (id: string, name: string, price: number, vatRate: number | null, category: string | null = 'GOODS'): Product => ({
  id, name, price, vatRate, category: vatRate === null ? null : category,
});

export const profiles = {
  cafe: {
    salesPerDay: 140,
    hours: [[9, 17], [7, 18], [7, 18], [7, 18], [7, 18], [7, 19], [8, 18]],
    peaks: [[8.5, 2], [12.5, 2.5], [15, 1]],
    weekdayFactor: [0.8, 1, 1, 1, 1.05, 1.2, 1.15],
    retailSeason: false,
    basketLines: 1.6,
    solutions: [['SHOPPING_BASKET', 7], ['VARIABLE_AMOUNT', 3]],
    payments: [['WALLET', 1]],
    products: [
      p('1101', 'Kaffe', 4200, 1500, 'FOOD'), p('1102', 'Cappuccino', 5200, 1500, 'FOOD'),
      p('1103', 'Te', 3800, 1500, 'FOOD'), p('1104', 'Kanelbolle', 4500, 1500, 'FOOD'),
      p('1105', 'Skolebolle', 4200, 1500, 'FOOD'), p('1106', 'Smørbrød', 8900, 1500, 'FOOD'),
      p('1107', 'Juice', 4900, 1500, 'FOOD'), p('1108', 'Kaffebønner 500 g', 16900, 1500, 'FOOD'),
      p('1109', 'Termokopp', 24900, 2500), p('1110', 'Kakestykke', 5900, null), p('1111', 'Dagens suppe', 12900, null),
    ],
    openAmount: { min: 3000, max: 40000, vatRate: 1500, vatShare: 0.3 },
    salesCategories: ['Kiosk', 'Catering', null, null],
  },
  grocery: {
    salesPerDay: 1000,
    hours: [[10, 20], [8, 22], [8, 22], [8, 22], [8, 22], [8, 22], [8, 21]],
    peaks: [[12, 1], [16.5, 2.5]],
    weekdayFactor: [0.55, 0.9, 0.95, 1, 1.05, 1.3, 1.5],
    retailSeason: true,
    basketLines: 4.5,
    solutions: [['SHOPPING_BASKET', 9], ['VARIABLE_AMOUNT', 1]],
    payments: [['WALLET', 1]],
    products: [
      p('2001', 'Melk 1 l', 2390, 1500, 'FOOD'), p('2002', 'Grovbrød', 3990, 1500, 'FOOD'),
      p('2003', 'Egg 12 stk', 5490, 1500, 'FOOD'), p('2004', 'Norvegia 1 kg', 12990, 1500, 'FOOD'),
      p('2005', 'Kaffe 500 g', 6990, 1500, 'FOOD'), p('2006', 'Bananer', 2490, 1500, 'FOOD'),
      p('2007', 'Epler 1 kg', 3490, 1500, 'FOOD'), p('2008', 'Frossenpizza', 6490, 1500, 'FOOD'),
      p('2009', 'Brus 1,5 l', 3290, 1500, 'FOOD'), p('2010', 'Sjokolade', 2490, 1500, 'FOOD'),
      p('2011', 'Vaskemiddel', 5990, 2500), p('2012', 'Blomsterbukett', 19900, 2500),
      p('2013', 'Bærepose', 200, 2500), p('2014', 'Lokal honning', 12900, null),
    ],
    openAmount: { min: 5000, max: 150000, vatRate: null, vatShare: 0 },
    salesCategories: [null],
  },
  interiorShop: {
    salesPerDay: 45,
    hours: [null, [10, 18], [10, 18], [10, 18], [10, 20], [10, 18], [10, 17]],
    peaks: [[13, 1], [16, 1]],
    weekdayFactor: [0, 0.8, 0.9, 1, 1.2, 1.2, 1.6],
    retailSeason: true,
    basketLines: 1.5,
    solutions: [['MPOS', 1]],
    payments: [['CARD', 6], ['WALLET', 3], ['CASH', 1]],
    products: [
      p('3001', 'Kopp', 19900, 2500), p('3002', 'Skål', 24900, 2500), p('3003', 'Kubbelys', 8900, 2500),
      p('3004', 'Servietter', 4900, 2500), p('3005', 'Gavekort', 50000, 0, 'SERVICES'),
      p('3006', 'Pute', 39900, 2500), p('3007', 'Pledd', 79900, 2500), p('3008', 'Vase', 34900, 2500),
    ],
    openAmount: { min: 5000, max: 200000, vatRate: 2500, vatShare: 1 },
    salesCategories: [null],
  },
  foodTruck: {
    salesPerDay: 180,
    hours: [[12, 19], [11, 20], [11, 20], [11, 20], [11, 21], [11, 22], [12, 22]],
    peaks: [[12, 2.5], [17.5, 2]],
    weekdayFactor: [0.8, 0.8, 0.9, 1, 1.1, 1.4, 1.3],
    retailSeason: false,
    basketLines: 1.8,
    solutions: [['SHOPPING_BASKET', 8], ['VARIABLE_AMOUNT', 2]],
    payments: [['WALLET', 1]],
    products: [
      p('4001', 'Taco', 11900, 1500, 'FOOD'), p('4002', 'Burrito', 13900, 1500, 'FOOD'),
      p('4003', 'Nachos', 8900, 1500, 'FOOD'), p('4004', 'Brus', 3900, 1500, 'FOOD'),
      p('4005', 'Vann', 2900, 1500, 'FOOD'), p('4006', 'Churros', 5900, null),
    ],
    openAmount: { min: 2000, max: 30000, vatRate: null, vatShare: 0 },
    salesCategories: ['Mat', null],
  },
  bar: {
    salesPerDay: 160,
    hours: [[20, 26], [20, 26], [20, 26], [20, 26], [20, 27], [19, 28], [19, 28]],
    peaks: [[23.5, 2.5], [26, 1]],
    weekdayFactor: [0.4, 0.3, 0.4, 0.6, 0.9, 1.7, 2],
    retailSeason: false,
    basketLines: 2,
    solutions: [['SHOPPING_BASKET', 9], ['VARIABLE_AMOUNT', 1]],
    payments: [['WALLET', 1]],
    products: [
      p('5001', 'Pils 0,5 l', 10900, 2500), p('5002', 'Vin glass', 13900, 2500), p('5003', 'Drink', 16900, 2500),
      p('5004', 'Alkoholfri øl', 7900, 2500), p('5005', 'Inngang', 15000, 0, 'SERVICES'),
      p('5006', 'Garderobe', 4000, null), p('5007', 'Snacks', 4900, 1500, 'FOOD'),
    ],
    openAmount: { min: 5000, max: 80000, vatRate: 2500, vatShare: 0.2 },
    salesCategories: ['Bar', null],
  },
  sportsClub: {
    salesPerDay: 25,
    hours: daily([9, 21]),
    peaks: [[18, 2]],
    weekdayFactor: [1.3, 0.9, 1, 1, 0.9, 0.8, 1.3],
    retailSeason: false,
    basketLines: 1.3,
    solutions: [['VARIABLE_AMOUNT', 7], ['SHOPPING_BASKET', 3]],
    payments: [['WALLET', 1]],
    products: [
      p('6001', 'Medlemskontingent', 60000, 0, 'SERVICES'), p('6002', 'Treningsavgift', 150000, 0, 'SERVICES'),
      p('6003', 'Klubbdrakt', 59900, 2500), p('6004', 'Vaffel', 3000, 1500, 'FOOD'),
      p('6005', 'Kaffe', 2000, 1500, 'FOOD'), p('6006', 'Loddbok', 10000, null),
    ],
    openAmount: { min: 5000, max: 250000, vatRate: null, vatShare: 0 },
    salesCategories: ['Kontingent', 'Dugnad', 'Kiosk', null],
  },
  bakeryDk: {
    salesPerDay: 180,
    hours: [[7, 16], [6, 18], [6, 18], [6, 18], [6, 18], [6, 18], [7, 17]],
    peaks: [[7.5, 2.5], [12, 1.5]],
    weekdayFactor: [1.3, 0.9, 0.9, 0.95, 1, 1.1, 1.4],
    retailSeason: false,
    basketLines: 2,
    solutions: [['SHOPPING_BASKET', 6], ['VARIABLE_AMOUNT', 4]],
    payments: [['WALLET', 1]],
    products: [
      p('7001', 'Rugbrød', 3800, 2500, 'FOOD'), p('7002', 'Wienerbrød', 2200, 2500, 'FOOD'),
      p('7003', 'Kaffe', 3500, 2500, 'FOOD'), p('7004', 'Croissant', 2000, 2500, 'FOOD'),
      p('7005', 'Kanelsnegl', 2600, 2500, 'FOOD'), p('7006', 'Sandwich', 6500, 2500, 'FOOD'),
      p('7007', 'Tebirkes', 1800, null),
    ],
    openAmount: { min: 1500, max: 30000, vatRate: 2500, vatShare: 0.4 },
    salesCategories: ['Bageri', null],
  },
  kioskFi: {
    salesPerDay: 90,
    hours: [[10, 20], [7, 21], [7, 21], [7, 21], [7, 21], [7, 22], [9, 22]],
    peaks: [[8, 1.5], [16, 1.5]],
    weekdayFactor: [0.8, 1, 1, 1, 1, 1.2, 1.1],
    retailSeason: false,
    basketLines: 1.6,
    solutions: [['SHOPPING_BASKET', 5], ['VARIABLE_AMOUNT', 5]],
    payments: [['WALLET', 1]],
    products: [
      p('8001', 'Kahvi', 290, 1400, 'FOOD'), p('8002', 'Pulla', 350, 1400, 'FOOD'),
      p('8003', 'Voileipä', 650, 1400, 'FOOD'), p('8004', 'Limsa', 320, 1400, 'FOOD'),
      p('8005', 'Aikakauslehti', 590, 1000), p('8006', 'Karkkipussi', 299, 1400, 'FOOD'), p('8007', 'Arpa', 300, null),
    ],
    openAmount: { min: 200, max: 5000, vatRate: 2550, vatShare: 0.2 },
    salesCategories: ['Kioski', null],
  },
  bookshopFi: {
    salesPerDay: 35,
    hours: [[12, 16], [10, 18], [10, 18], [10, 18], [10, 18], [10, 18], [10, 16]],
    peaks: [[14, 1]],
    weekdayFactor: [0.5, 0.9, 0.9, 1, 1.1, 1.2, 1.5],
    retailSeason: true,
    basketLines: 1.4,
    solutions: [['MPOS', 1]],
    payments: [['CARD', 5], ['WALLET', 4], ['CASH', 1]],
    products: [
      p('9001', 'Kirja', 2490, 1000), p('9002', 'Lautapeli', 3990, 2550), p('9003', 'Kortti', 450, 2550),
      p('9004', 'Muistikirja', 1290, 2550), p('9005', 'Kynä', 390, 2550),
    ],
    openAmount: { min: 300, max: 15000, vatRate: 2550, vatShare: 1 },
    salesCategories: [null],
  },
  floristDk: {
    salesPerDay: 50,
    hours: [[10, 15], [9, 18], [9, 18], [9, 18], [9, 18], [9, 19], [9, 16]],
    peaks: [[16, 2]],
    weekdayFactor: [0.6, 0.8, 0.8, 0.9, 1.1, 1.6, 1.3],
    retailSeason: true,
    basketLines: 1.3,
    solutions: [['MPOS', 1]],
    payments: [['CARD', 6], ['WALLET', 3], ['CASH', 1]],
    products: [
      p('9101', 'Buket', 29900, 2500), p('9102', 'Rose', 2500, 2500), p('9103', 'Potteplante', 14900, 2500),
      p('9104', 'Gavekort', 20000, 0, 'SERVICES'),
    ],
    openAmount: { min: 2500, max: 60000, vatRate: 2500, vatShare: 1 },
    salesCategories: [null],
  },
  yarnShop: {
    salesPerDay: 4,
    hours: [null, [11, 17], [11, 17], [11, 17], [11, 18], [11, 17], [11, 15]],
    peaks: [[14, 1]],
    weekdayFactor: [0, 1, 1, 1, 1, 1, 1.3],
    retailSeason: false,
    basketLines: 2,
    solutions: [['SHOPPING_BASKET', 6], ['VARIABLE_AMOUNT', 4]],
    payments: [['WALLET', 1]],
    products: [
      p('9201', 'Garn', 8900, 2500), p('9202', 'Oppskrift', 4900, 0, 'BOOKS'),
      p('9203', 'Strikkepinner', 12900, 2500), p('9204', 'Strikkekurs', 95000, 2500, 'SERVICES'),
    ],
    openAmount: { min: 5000, max: 60000, vatRate: null, vatShare: 0 },
    salesCategories: ['Kurs', null],
  },
  webshop: {
    salesPerDay: 260,
    hours: daily([0, 24]),
    peaks: [[12, 1.5], [21, 2.5]],
    weekdayFactor: [1.2, 1, 1, 1, 1, 0.9, 0.9],
    retailSeason: true,
    basketLines: 1,
    solutions: [['EPAYMENT', 1]],
    payments: [['WALLET', 1]],
    products: [],
    openAmount: { min: 9900, max: 250000, vatRate: null, vatShare: 0 },
    salesCategories: [null],
  },
} satisfies Record<string, BusinessProfile>;

export type ProfileName = keyof typeof profiles;
