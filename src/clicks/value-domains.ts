/**
 * The value domains of the synthetic click stream: where users live (countries weighted by share of
 * traffic, cities per country with their coordinates), which devices they click from, and how
 * clicks spread over the hours of a day. Plain data, so tests can check generated values against
 * the same lists the generator draws from.
 */

/** A city users live in: name, centre coordinates and its share of its country's users. */
export interface City {
  name: string;
  latitude: number;
  longitude: number;
  share: number;
}

/** A country (ISO 3166-1 alpha-2 code) with its share of all clicks and its cities. */
export interface Country {
  code: string;
  weight: number;
  cities: City[];
}

const city = (name: string, latitude: number, longitude: number, share: number): City => ({
  name,
  latitude,
  longitude,
  share,
});

/** Countries by rough share of web traffic; weights are relative (they need not sum to 100). */
export const COUNTRIES: readonly Country[] = [
  {
    code: "US",
    weight: 20,
    cities: [
      city("New York", 40.7128, -74.006, 4),
      city("Los Angeles", 34.0522, -118.2437, 3),
      city("Chicago", 41.8781, -87.6298, 2),
      city("Houston", 29.7604, -95.3698, 2),
      city("San Francisco", 37.7749, -122.4194, 1),
    ],
  },
  {
    code: "IN",
    weight: 12,
    cities: [
      city("Mumbai", 19.076, 72.8777, 3),
      city("Delhi", 28.7041, 77.1025, 3),
      city("Bengaluru", 12.9716, 77.5946, 2),
    ],
  },
  {
    code: "BR",
    weight: 7,
    cities: [city("São Paulo", -23.5505, -46.6333, 3), city("Rio de Janeiro", -22.9068, -43.1729, 2)],
  },
  { code: "GB", weight: 6, cities: [city("London", 51.5074, -0.1278, 3), city("Manchester", 53.4808, -2.2426, 1)] },
  {
    code: "DE",
    weight: 6,
    cities: [city("Berlin", 52.52, 13.405, 2), city("Munich", 48.1351, 11.582, 1), city("Hamburg", 53.5511, 9.9937, 1)],
  },
  { code: "JP", weight: 5, cities: [city("Tokyo", 35.6762, 139.6503, 3), city("Osaka", 34.6937, 135.5023, 1)] },
  { code: "FR", weight: 5, cities: [city("Paris", 48.8566, 2.3522, 3), city("Lyon", 45.764, 4.8357, 1)] },
  { code: "ID", weight: 4, cities: [city("Jakarta", -6.2088, 106.8456, 3), city("Surabaya", -7.2575, 112.7521, 1)] },
  {
    code: "MX",
    weight: 4,
    cities: [city("Mexico City", 19.4326, -99.1332, 3), city("Guadalajara", 20.6597, -103.3496, 1)],
  },
  { code: "CA", weight: 3, cities: [city("Toronto", 43.6532, -79.3832, 2), city("Vancouver", 49.2827, -123.1207, 1)] },
  { code: "ES", weight: 3, cities: [city("Madrid", 40.4168, -3.7038, 2), city("Barcelona", 41.3874, 2.1686, 2)] },
  { code: "IT", weight: 3, cities: [city("Rome", 41.9028, 12.4964, 1), city("Milan", 45.4642, 9.19, 1)] },
  { code: "KR", weight: 3, cities: [city("Seoul", 37.5665, 126.978, 3), city("Busan", 35.1796, 129.0756, 1)] },
  { code: "NG", weight: 3, cities: [city("Lagos", 6.5244, 3.3792, 2), city("Abuja", 9.0765, 7.3986, 1)] },
  { code: "AU", weight: 2, cities: [city("Sydney", -33.8688, 151.2093, 1), city("Melbourne", -37.8136, 144.9631, 1)] },
  { code: "TR", weight: 2, cities: [city("Istanbul", 41.0082, 28.9784, 2), city("Ankara", 39.9334, 32.8597, 1)] },
  { code: "PL", weight: 2, cities: [city("Warsaw", 52.2297, 21.0122, 1)] },
  { code: "NL", weight: 2, cities: [city("Amsterdam", 52.3676, 4.9041, 1)] },
  {
    code: "ZA",
    weight: 2,
    cities: [city("Johannesburg", -26.2041, 28.0473, 1), city("Cape Town", -33.9249, 18.4241, 1)],
  },
  { code: "EG", weight: 2, cities: [city("Cairo", 30.0444, 31.2357, 1)] },
  { code: "PH", weight: 2, cities: [city("Manila", 14.5995, 120.9842, 1)] },
  {
    code: "VN",
    weight: 2,
    cities: [city("Ho Chi Minh City", 10.8231, 106.6297, 1), city("Hanoi", 21.0278, 105.8342, 1)],
  },
  { code: "AR", weight: 2, cities: [city("Buenos Aires", -34.6037, -58.3816, 1)] },
  { code: "SE", weight: 1, cities: [city("Stockholm", 59.3293, 18.0686, 1)] },
  { code: "SG", weight: 1, cities: [city("Singapore", 1.3521, 103.8198, 1)] },
];

/** A device model and the operating system it runs, with its relative share of devices. */
export interface DeviceModel {
  os: string;
  model: string;
  weight: number;
}

const device = (os: string, model: string, weight: number): DeviceModel => ({ os, model, weight });

/** Device models by rough share (mobile-heavy, as click streams are). */
export const DEVICE_MODELS: readonly DeviceModel[] = [
  device("Android", "Samsung Galaxy S23", 8),
  device("Android", "Samsung Galaxy A54", 9),
  device("Android", "Google Pixel 8", 5),
  device("Android", "Xiaomi Redmi Note 12", 9),
  device("Android", "OnePlus 11", 4),
  device("Android", "Motorola Moto G84", 5),
  device("iOS", "iPhone 15", 10),
  device("iOS", "iPhone 14", 9),
  device("iOS", "iPhone 13", 8),
  device("iOS", "iPhone SE", 4),
  device("iOS", "iPad Air", 3),
  device("Windows", "Windows PC", 12),
  device("macOS", "MacBook Air", 4),
  device("macOS", "MacBook Pro", 3),
  device("macOS", "iMac", 1),
  device("Linux", "Linux PC", 2),
  device("ChromeOS", "Chromebook", 2),
];

/**
 * Relative click volume per hour of the (UTC) day: a quiet night around 03:00-05:00 and an evening
 * peak around 19:00-21:00, the usual shape of consumer traffic.
 */
export const HOURLY_WEIGHTS: readonly number[] = [
  4, 3, 2.5, 2, 2, 2.5, 3.5, 5, 6, 6.5, 7, 7, 7.5, 7, 7, 7, 7.5, 8, 9, 10, 10, 9, 7.5, 5.5,
];

/** Every city with its country code, in a fixed order (the generator indexes into this list). */
export const ALL_CITIES: readonly (City & { country: string; weight: number })[] = COUNTRIES.flatMap((country) => {
  const total = country.cities.reduce((sum, c) => sum + c.share, 0);
  return country.cities.map((c) => ({ ...c, country: country.code, weight: (country.weight * c.share) / total }));
});
