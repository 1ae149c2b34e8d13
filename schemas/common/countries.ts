/** One country or territory of ISO 3166-1 (plus Kosovo, see below). */
export type Country = {
  readonly alpha2: string;
  readonly alpha3: string;
  /** English short name. */
  readonly name: string;
  /** Adjectival form, as the NRM referral form spells it where it lists the country (e.g. `British`). */
  readonly demonym: string;
  /** Other names and spellings in common use, e.g. `UK`, `England`, `Great Britain` for GBR. */
  readonly synonyms: readonly string[];
};

/*
 * alpha-2 | alpha-3 | English short name | demonym | synonyms separated by ';'.
 * All 249 ISO 3166-1 entries, then Kosovo: ISO has no code for it, so by explicit decision we use the
 * user-assigned code XK / XKX (as the EU, the UN Development Programme and many registries do) and not
 * ICAO's RKS, so that nationality codes stay within the ISO code space plus the ICAO X* specials.
 */
const TABLE = `
AF|AFG|Afghanistan|Afghan|
AX|ALA|Åland Islands|Ålandic|Aland
AL|ALB|Albania|Albanian|
DZ|DZA|Algeria|Algerian|
AS|ASM|American Samoa|American Samoan|
AD|AND|Andorra|Andorran|
AO|AGO|Angola|Angolan|
AI|AIA|Anguilla|Anguillan|
AQ|ATA|Antarctica|Antarctic|
AG|ATG|Antigua and Barbuda|Citizen of Antigua and Barbuda|Antiguan;Barbudan;Antigua
AR|ARG|Argentina|Argentine|Argentinian
AM|ARM|Armenia|Armenian|
AW|ABW|Aruba|Aruban|
AU|AUS|Australia|Australian|
AT|AUT|Austria|Austrian|
AZ|AZE|Azerbaijan|Azerbaijani|
BS|BHS|Bahamas|Bahamian|The Bahamas
BH|BHR|Bahrain|Bahraini|
BD|BGD|Bangladesh|Bangladeshi|
BB|BRB|Barbados|Barbadian|Bajan
BY|BLR|Belarus|Belarusian|Belarusan;Byelorussian
BE|BEL|Belgium|Belgian|
BZ|BLZ|Belize|Belizean|
BJ|BEN|Benin|Beninese|
BM|BMU|Bermuda|Bermudian|
BT|BTN|Bhutan|Bhutanese|
BO|BOL|Bolivia|Bolivian|Bolivia, Plurinational State of
BQ|BES|Bonaire, Sint Eustatius and Saba|Caribbean Netherlands|Bonaire;Sint Eustatius;Saba
BA|BIH|Bosnia and Herzegovina|Citizen of Bosnia and Herzegovina|Bosnian;Herzegovinian;Bosnia
BW|BWA|Botswana|Botswanan|Motswana;Batswana
BV|BVT|Bouvet Island|Bouvet Islander|
BR|BRA|Brazil|Brazilian|
IO|IOT|British Indian Ocean Territory|British Indian Ocean Territory citizen|Chagos Islands;Chagossian
BN|BRN|Brunei Darussalam|Bruneian|Brunei
BG|BGR|Bulgaria|Bulgarian|
BF|BFA|Burkina Faso|Burkinan|Burkinabe;Burkinabé
BI|BDI|Burundi|Burundian|
CV|CPV|Cabo Verde|Cape Verdean|Cape Verde
KH|KHM|Cambodia|Cambodian|
CM|CMR|Cameroon|Cameroonian|
CA|CAN|Canada|Canadian|
KY|CYM|Cayman Islands|Cayman Islander|Caymanian
CF|CAF|Central African Republic|Central African|CAR
TD|TCD|Chad|Chadian|
CL|CHL|Chile|Chilean|
CN|CHN|China|Chinese|People's Republic of China;PRC
CX|CXR|Christmas Island|Christmas Islander|
CC|CCK|Cocos (Keeling) Islands|Cocos Islander|Cocos Islands;Keeling Islands
CO|COL|Colombia|Colombian|
KM|COM|Comoros|Comoran|Comorian
CG|COG|Congo|Congolese (Congo)|Republic of the Congo;Congo-Brazzaville;Congo Brazzaville
CD|COD|Congo, Democratic Republic of the|Congolese (DRC)|Democratic Republic of the Congo;DRC;DR Congo;Congo-Kinshasa;Congo Kinshasa;Zaire
CK|COK|Cook Islands|Cook Islander|
CR|CRI|Costa Rica|Costa Rican|
CI|CIV|Côte d'Ivoire|Ivorian|Cote d'Ivoire;Ivory Coast
HR|HRV|Croatia|Croatian|Croat
CU|CUB|Cuba|Cuban|
CW|CUW|Curaçao|Curaçaoan|Curacao
CY|CYP|Cyprus|Cypriot|
CZ|CZE|Czechia|Czech|Czech Republic
DK|DNK|Denmark|Danish|Dane
DJ|DJI|Djibouti|Djiboutian|
DM|DMA|Dominica|Dominican|
DO|DOM|Dominican Republic|Citizen of the Dominican Republic|
EC|ECU|Ecuador|Ecuadorean|Ecuadorian
EG|EGY|Egypt|Egyptian|
SV|SLV|El Salvador|Salvadorean|Salvadoran
GQ|GNQ|Equatorial Guinea|Equatorial Guinean|Equatoguinean
ER|ERI|Eritrea|Eritrean|
EE|EST|Estonia|Estonian|
SZ|SWZ|Eswatini|Swazi|Swaziland;Liswati
ET|ETH|Ethiopia|Ethiopian|
FK|FLK|Falkland Islands (Malvinas)|Falkland Islander|Falkland Islands;Falklands
FO|FRO|Faroe Islands|Faroese|Faroes
FJ|FJI|Fiji|Fijian|
FI|FIN|Finland|Finnish|Finn
FR|FRA|France|French|
GF|GUF|French Guiana|French Guianese|
PF|PYF|French Polynesia|French Polynesian|Tahiti;Tahitian
TF|ATF|French Southern Territories|French Southern Territories citizen|
GA|GAB|Gabon|Gabonese|
GM|GMB|Gambia|Gambian|The Gambia
GE|GEO|Georgia|Georgian|
DE|DEU|Germany|German|
GH|GHA|Ghana|Ghanaian|
GI|GIB|Gibraltar|Gibraltarian|
GR|GRC|Greece|Greek|
GL|GRL|Greenland|Greenlandic|Greenlander
GD|GRD|Grenada|Grenadian|
GP|GLP|Guadeloupe|Guadeloupean|
GU|GUM|Guam|Guamanian|
GT|GTM|Guatemala|Guatemalan|
GG|GGY|Guernsey|Guernsey citizen|Guernseyman;Guernseywoman
GN|GIN|Guinea|Guinean|Guinea-Conakry
GW|GNB|Guinea-Bissau|Citizen of Guinea-Bissau|Bissau-Guinean;Guinea Bissau
GY|GUY|Guyana|Guyanese|
HT|HTI|Haiti|Haitian|
HM|HMD|Heard Island and McDonald Islands|Heard Islander|
VA|VAT|Holy See|Vatican citizen|Vatican;Vatican City
HN|HND|Honduras|Honduran|
HK|HKG|Hong Kong|Hong Konger|Hongkonger;Hong Kong Chinese
HU|HUN|Hungary|Hungarian|
IS|ISL|Iceland|Icelandic|Icelander
IN|IND|India|Indian|
ID|IDN|Indonesia|Indonesian|
IR|IRN|Iran|Iranian|Iran, Islamic Republic of;Persian
IQ|IRQ|Iraq|Iraqi|
IE|IRL|Ireland|Irish|Republic of Ireland;Eire
IM|IMN|Isle of Man|Manx|
IL|ISR|Israel|Israeli|
IT|ITA|Italy|Italian|
JM|JAM|Jamaica|Jamaican|
JP|JPN|Japan|Japanese|
JE|JEY|Jersey|Jersey citizen|Jerseyman;Jerseywoman
JO|JOR|Jordan|Jordanian|
KZ|KAZ|Kazakhstan|Kazakh|Kazakhstani
KE|KEN|Kenya|Kenyan|
KI|KIR|Kiribati|Citizen of Kiribati|I-Kiribati
KP|PRK|Korea (Democratic People's Republic of)|North Korean|North Korea;DPRK
KR|KOR|Korea, Republic of|South Korean|South Korea;Republic of Korea
KW|KWT|Kuwait|Kuwaiti|
KG|KGZ|Kyrgyzstan|Kyrgyz|Kyrgyzstani;Kirghiz
LA|LAO|Lao People's Democratic Republic|Lao|Laos;Laotian
LV|LVA|Latvia|Latvian|
LB|LBN|Lebanon|Lebanese|
LS|LSO|Lesotho|Mosotho|Basotho
LR|LBR|Liberia|Liberian|
LY|LBY|Libya|Libyan|
LI|LIE|Liechtenstein|Liechtenstein citizen|Liechtensteiner
LT|LTU|Lithuania|Lithuanian|
LU|LUX|Luxembourg|Luxembourger|Luxembourgish
MO|MAC|Macao|Macanese|Macau
MG|MDG|Madagascar|Malagasy|
MW|MWI|Malawi|Malawian|
MY|MYS|Malaysia|Malaysian|
MV|MDV|Maldives|Maldivian|
ML|MLI|Mali|Malian|
MT|MLT|Malta|Maltese|
MH|MHL|Marshall Islands|Marshallese|
MQ|MTQ|Martinique|Martiniquais|Martinican
MR|MRT|Mauritania|Mauritanian|
MU|MUS|Mauritius|Mauritian|
YT|MYT|Mayotte|Mahoran|
MX|MEX|Mexico|Mexican|
FM|FSM|Micronesia (Federated States of)|Micronesian|Micronesia
MD|MDA|Moldova, Republic of|Moldovan|Moldova
MC|MCO|Monaco|Monegasque|Monacan
MN|MNG|Mongolia|Mongolian|
ME|MNE|Montenegro|Montenegrin|
MS|MSR|Montserrat|Montserratian|
MA|MAR|Morocco|Moroccan|
MZ|MOZ|Mozambique|Mozambican|
MM|MMR|Myanmar|Burmese|Burma;Myanmarese
NA|NAM|Namibia|Namibian|
NR|NRU|Nauru|Nauruan|
NP|NPL|Nepal|Nepalese|Nepali
NL|NLD|Netherlands|Dutch|The Netherlands;Holland;Netherlander
NC|NCL|New Caledonia|New Caledonian|
NZ|NZL|New Zealand|New Zealander|Kiwi
NI|NIC|Nicaragua|Nicaraguan|
NE|NER|Niger|Nigerien|
NG|NGA|Nigeria|Nigerian|
NU|NIU|Niue|Niuean|
NF|NFK|Norfolk Island|Norfolk Islander|
MK|MKD|North Macedonia|Macedonian|Macedonia;Republic of North Macedonia
MP|MNP|Northern Mariana Islands|Northern Mariana Islander|
NO|NOR|Norway|Norwegian|
OM|OMN|Oman|Omani|
PK|PAK|Pakistan|Pakistani|
PW|PLW|Palau|Palauan|
PS|PSE|Palestine, State of|Palestinian|Palestine;Occupied Palestinian Territories
PA|PAN|Panama|Panamanian|
PG|PNG|Papua New Guinea|Papua New Guinean|
PY|PRY|Paraguay|Paraguayan|
PE|PER|Peru|Peruvian|
PH|PHL|Philippines|Filipino|Philippine;Filipina
PN|PCN|Pitcairn|Pitcairn Islander|Pitcairn Islands
PL|POL|Poland|Polish|Pole
PT|PRT|Portugal|Portuguese|
PR|PRI|Puerto Rico|Puerto Rican|
QA|QAT|Qatar|Qatari|
RE|REU|Réunion|Réunionese|Reunion
RO|ROU|Romania|Romanian|
RU|RUS|Russian Federation|Russian|Russia
RW|RWA|Rwanda|Rwandan|
BL|BLM|Saint Barthélemy|Barthélemois|Saint Barthelemy;St Barts
SH|SHN|Saint Helena, Ascension and Tristan da Cunha|St Helenian|Saint Helena;St Helena;Tristanian;Tristan da Cunha;Ascension Island
KN|KNA|Saint Kitts and Nevis|Kittitian|St Kitts and Nevis;Nevisian
LC|LCA|Saint Lucia|St Lucian|St Lucia;Saint Lucian
MF|MAF|Saint Martin (French part)|Saint-Martinoise|Saint Martin
PM|SPM|Saint Pierre and Miquelon|Saint-Pierrais|St Pierre and Miquelon
VC|VCT|Saint Vincent and the Grenadines|Vincentian|St Vincent and the Grenadines;St Vincent
WS|WSM|Samoa|Samoan|Western Samoa
SM|SMR|San Marino|Sammarinese|
ST|STP|Sao Tome and Principe|Sao Tomean|São Tomé and Príncipe
SA|SAU|Saudi Arabia|Saudi Arabian|Saudi
SN|SEN|Senegal|Senegalese|
RS|SRB|Serbia|Serbian|Serb
SC|SYC|Seychelles|Citizen of Seychelles|Seychellois
SL|SLE|Sierra Leone|Sierra Leonean|
SG|SGP|Singapore|Singaporean|
SX|SXM|Sint Maarten (Dutch part)|Sint Maartener|Sint Maarten
SK|SVK|Slovakia|Slovak|Slovakian;Slovak Republic
SI|SVN|Slovenia|Slovenian|Slovene
SB|SLB|Solomon Islands|Solomon Islander|
SO|SOM|Somalia|Somali|Somalian
ZA|ZAF|South Africa|South African|
GS|SGS|South Georgia and the South Sandwich Islands|South Georgia and the South Sandwich Islands citizen|South Georgia
SS|SSD|South Sudan|South Sudanese|
ES|ESP|Spain|Spanish|Spaniard
LK|LKA|Sri Lanka|Sri Lankan|
SD|SDN|Sudan|Sudanese|
SR|SUR|Suriname|Surinamese|Surinamer
SJ|SJM|Svalbard and Jan Mayen|Svalbard citizen|Svalbard
SE|SWE|Sweden|Swedish|Swede
CH|CHE|Switzerland|Swiss|
SY|SYR|Syrian Arab Republic|Syrian|Syria
TW|TWN|Taiwan|Taiwanese|Taiwan, Province of China
TJ|TJK|Tajikistan|Tajik|Tajikistani
TZ|TZA|Tanzania, United Republic of|Tanzanian|Tanzania
TH|THA|Thailand|Thai|
TL|TLS|Timor-Leste|East Timorese|East Timor;Timorese
TG|TGO|Togo|Togolese|
TK|TKL|Tokelau|Tokelauan|
TO|TON|Tonga|Tongan|
TT|TTO|Trinidad and Tobago|Trinidadian|Tobagonian;Trinidad
TN|TUN|Tunisia|Tunisian|
TR|TUR|Türkiye|Turkish|Turkey;Turkiye;Turk
TM|TKM|Turkmenistan|Turkmen|
TC|TCA|Turks and Caicos Islands|Turks and Caicos Islander|
TV|TUV|Tuvalu|Tuvaluan|
UG|UGA|Uganda|Ugandan|
UA|UKR|Ukraine|Ukrainian|
AE|ARE|United Arab Emirates|Emirati|UAE
GB|GBR|United Kingdom|British|UK;U.K.;United Kingdom of Great Britain and Northern Ireland;Great Britain;Britain;England;English;Scotland;Scottish;Wales;Welsh;Northern Ireland;Northern Irish;British citizen;British national
US|USA|United States of America|American|United States;USA;U.S.A.;US;U.S.;America
UM|UMI|United States Minor Outlying Islands|United States Minor Outlying Islander|
UY|URY|Uruguay|Uruguayan|
UZ|UZB|Uzbekistan|Uzbek|Uzbekistani
VU|VUT|Vanuatu|Citizen of Vanuatu|Ni-Vanuatu
VE|VEN|Venezuela|Venezuelan|Venezuela, Bolivarian Republic of
VN|VNM|Viet Nam|Vietnamese|Vietnam
VG|VGB|Virgin Islands (British)|British Virgin Islander|British Virgin Islands;BVI
VI|VIR|Virgin Islands (U.S.)|US Virgin Islander|United States Virgin Islands;US Virgin Islands
WF|WLF|Wallis and Futuna|Wallisian|Futunan
EH|ESH|Western Sahara|Sahrawi|Sahrawian
YE|YEM|Yemen|Yemeni|
ZM|ZMB|Zambia|Zambian|
ZW|ZWE|Zimbabwe|Zimbabwean|
XK|XKX|Kosovo|Kosovan|Kosovar;RKS
`;

/** Every ISO 3166-1 country (249) plus Kosovo (`XK`/`XKX`), in ISO English short-name order. */
export const COUNTRIES: readonly Country[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [alpha2 = '', alpha3 = '', name = '', demonym = '', synonyms = ''] = line.split('|');
    return { alpha2, alpha3, name, demonym, synonyms: synonyms === '' ? [] : synonyms.split(';') };
  });

/** Codes that ICAO Doc 9303 adds for people without an ISO nationality. */
export const ICAO_SPECIAL_NATIONALITIES = {
  XXA: 'Stateless person',
  XXB: 'Refugee (1951 Convention)',
  XXC: 'Refugee (other)',
  XXX: 'Unspecified nationality',
} as const;
