import type { AgeAtExploitation, AgeBand, Sex } from '../common/demographics.ts';
import type { ExploitationSubType, ExploitationType } from '../common/exploitation.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Yes/no values. */
export const BOOLEAN_VOCABULARY: Vocabulary<'true' | 'false'> = {
  true: ['yes', 'y', '1', 't'],
  false: ['no', 'n', '0', 'f'],
};

export const ROLE_VOCABULARY: Vocabulary = {
  POTENTIAL_VICTIM: [
    'pv',
    'potential victim',
    'possible victim',
    'possible victim of trafficking',
    'possiblevictimoftrafficking',
  ],
  VICTIM: ['v', 'victim', 'actual victim', 'confirmed victim', 'actualvictimoftrafficking'],
  SUSPECT: ['s', 'suspect', 'suspected offender'],
  OFFENDER: ['o', 'offender', 'perpetrator', 'convicted', 'trafficker'],
  WITNESS: ['w', 'witness'],
  ASSOCIATE: ['a', 'associate', 'associated person', 'associated'],
};

export const SEX_VOCABULARY: Vocabulary<Sex> = {
  FEMALE: ['f', 'female', 'woman', 'women', 'girl', 'feminine', 'fem'],
  MALE: ['m', 'male', 'man', 'men', 'boy', 'masculine', 'masc'],
  OTHER: [
    'other',
    'x',
    'non binary',
    'nonbinary',
    'non conforming',
    'nonconforming',
    'transgender feminine',
    'transgender masculine',
    'transgenderfeminine',
    'transgendermasculine',
    'indeterminate',
    'they do not identify as male or female',
  ],
  NOT_KNOWN: [
    'u',
    'unknown',
    'not known',
    'nk',
    'not stated',
    'not specified',
    'nonspecifiedunknown',
    'prefer not to say',
  ],
};

export const AGE_AT_EXPLOITATION_VOCABULARY: Vocabulary<AgeAtExploitation> = {
  ADULT: ['adult', '18+', 'over 18', '18 or over', 'adult 18+'],
  CHILD: ['child', 'minor', 'under 18', 'juvenile', 'child under 18'],
  UNKNOWN: ['unknown', 'not known', 'not sure', 'nk', 'not specified'],
};

export const AGE_BAND_VOCABULARY: Vocabulary<AgeBand> = {
  '0-8': ['0 to 8'],
  '9-17': ['9 to 17'],
  '18-24': ['18 to 24'],
  '25-34': ['25 to 34'],
  '35-44': ['35 to 44'],
  '45-54': ['45 to 54'],
  '55+': ['55 and over', '55 plus', '55 or over'],
  UNKNOWN: ['unknown', 'not known', 'nk'],
};

/** Exploitation types; a value naming a sub-type (e.g. `county lines`) gives the sub-type and its type. */
export const EXPLOITATION_TYPE_VOCABULARY: Vocabulary<ExploitationType> = {
  CRIMINAL: [
    'criminal',
    'criminal exploitation',
    'forced criminality',
    'forced to commit crime',
    'criminality',
  ],
  LABOUR: [
    'labour',
    'labor',
    'forced labour',
    'forced labor',
    'labour exploitation',
    'labor exploitation',
    'forced to work',
    'wages taken',
    'forcedlabour',
  ],
  SEXUAL: ['sexual', 'sexual exploitation', 'sex', 'sexualexploitation'],
  DOMESTIC_SERVITUDE: ['domestic servitude', 'servitude', 'unpaid household work', 'domestic'],
  ORGAN_HARVESTING: ['organ harvesting', 'organ removal', 'organs removed', 'organremoval'],
  OTHER: ['other', 'other exploitation'],
  NOT_SPECIFIED_OR_UNKNOWN: [
    'not specified',
    'unknown',
    'not known',
    'unspecified',
    'not specified or unknown',
    'unknown exploitation',
  ],
};

export const EXPLOITATION_SUB_TYPE_VOCABULARY: Vocabulary<ExploitationSubType> = {
  COUNTY_LINES: ['county lines', 'county line', 'county lines exploitation', 'cl'],
  CANNABIS_CULTIVATION: ['cannabis', 'cannabis cultivation', 'cannabis farm', 'cannabis farming'],
  FORCED_BEGGING: ['begging', 'forced begging', 'forcedbegging'],
  FORCED_SHOPLIFTING: ['shoplifting', 'forced shoplifting', 'forced theft'],
  BENEFIT_FRAUD: ['benefit fraud', 'forced to commit fraud', 'fraud'],
  LABOUR_AGRICULTURE: ['agriculture', 'agricultural', 'agriculture labour'],
  LABOUR_CONSTRUCTION: ['construction'],
  LABOUR_HOSPITALITY: ['hospitality', 'restaurant', 'catering', 'takeaway'],
  LABOUR_MANUFACTURING: ['manufacturing', 'factory'],
  LABOUR_CAR_WASH: ['car wash', 'hand car wash', 'carwash'],
  LABOUR_NAIL_BAR: ['nail bar', 'nail bars', 'nail salon', 'nails'],
  LABOUR_FISHING: ['fishing', 'fishing industry', 'aquafarming'],
  LABOUR_OTHER: ['other labour', 'other labor'],
  SEX_PROSTITUTION: ['prostitution', 'forced prostitution'],
  SEX_PORNOGRAPHY: ['pornography'],
  SEX_REMOTE_INTERACTIVE: ['remote interactive services', 'webcam', 'remoteinteractiveservices'],
  SEX_PRIVATE_SERVICES: ['private sexual services', 'privatesexualservices'],
  CHILD_SEXUAL_EXPLOITATION: ['cse', 'child sexual exploitation', 'child exploitation'],
  FORCED_MARRIAGE: ['forced marriage', 'forcedmarriage'],
};

export const EXPLOITATION_LOCATION_VOCABULARY: Vocabulary = {
  UK_ONLY: ['uk', 'uk only', 'united kingdom', 'in the uk'],
  OVERSEAS_ONLY: ['overseas', 'overseas only', 'abroad', 'outside the uk'],
  UK_AND_OVERSEAS: ['uk and overseas', 'both', 'uk overseas'],
  UNKNOWN: ['unknown', 'not known', 'nk'],
};

export const MEANS_OF_CONTROL_VOCABULARY: Vocabulary = {
  DEBT_BONDAGE: ['debt', 'debt bondage'],
  TAKES_EARNINGS: ['takes earnings', 'wages taken', 'earnings taken'],
  RESTRICTS_FINANCIAL_ACCESS: ['restricts financial access'],
  THREATS: ['threats', 'physical threats', 'physicalthreats'],
  THREATENS_FAMILY: ['threatens family', 'threats to family', 'threatenschildrenfamily'],
  THREAT_OF_LAW_ENFORCEMENT: ['threat of law enforcement', 'threatslawenforcement', 'threat of deportation'],
  PSYCHOLOGICAL_ABUSE: ['psychological abuse', 'emotional abuse'],
  PHYSICAL_ABUSE: ['physical abuse', 'violence'],
  SEXUAL_ABUSE: ['sexual abuse'],
  FALSE_PROMISES: ['false promises', 'deception'],
  PSYCHOACTIVE_SUBSTANCES: ['psychoactive substances', 'psychoactivesubstance', 'drugs', 'drugs or alcohol'],
  RESTRICTS_MOVEMENT: ['restricts movement', 'confinement', 'restricted movement'],
  RESTRICTS_MEDICAL_CARE: ['restricts medical care'],
  EXCESSIVE_WORKING_HOURS: ['excessive working hours', 'excessive hours'],
  USES_CHILDREN: ['uses children'],
  WITHHOLDS_NECESSITIES: ['withholds necessities'],
  WITHHOLDS_DOCUMENTS: [
    'withholds documents',
    'document retention',
    'passport withheld',
    'documents withheld',
  ],
  OTHER: ['other'],
};

export const RECRUITMENT_METHOD_VOCABULARY: Vocabulary = {
  PLACE_OF_BUSINESS: ['at a place of business', 'atAplaceofbusiness', 'place of business'],
  EDUCATIONAL_INSTITUTION: [
    'at an educational institution',
    'atanEducationalinstitution',
    'school',
    'college',
  ],
  AT_WORK: ['at work', 'work'],
  ONLINE_SOCIAL_NETWORK: [
    'through online social networks',
    'throughonlinesocialnetworks',
    'social media',
    'online social network',
  ],
  ONLINE_ADVERT: [
    'through an online advertisement',
    'throughanonlineadvertisement',
    'online advert',
    'online advertisement',
  ],
  TELEVISION_ADVERT: ['through a television advert', 'throughatelevisionadvert', 'tv advert'],
  NEWSPAPER_ADVERT: ['through a newspaper advert', 'throughanewspaperadvert', 'newspaper'],
  FAMILY: ['through family or family events', 'throughfamilyorfamilyevents', 'family'],
  FRIENDS_OR_SOCIAL: [
    'through friends or social events',
    'throughfriendsorsocialevents',
    'friends',
    'social',
  ],
  OTHER: ['other'],
};

export const RECRUITER_RELATIONSHIP_VOCABULARY: Vocabulary = {
  INTIMATE_PARTNER: ['intimate partner', 'partner', 'boyfriend', 'girlfriend', 'spouse', 'husband', 'wife'],
  FAMILY: ['family', 'familial', 'relative', 'family member'],
  FRIEND: ['friend'],
  ACQUAINTANCE: ['acquaintance', 'acquainted'],
  STRANGER: ['stranger', 'unacquainted', 'unaquainted'],
  OTHER: ['other'],
  UNKNOWN: ['unknown', 'not known', 'nk'],
};

export const ROLE_IN_PROCESS_VOCABULARY: Vocabulary = {
  TRAVELLING_PARTNER: ['travelling partner', 'traveling partner', 'travellingpartner'],
  TRANSPORTER: ['transporter', 'driver', 'transferredindividual', 'transferred individual'],
  RECRUITER_OR_INTERMEDIARY: [
    'recruiter',
    'intermediary',
    'recruiter or intermediary',
    'recruiterorintermediary',
  ],
  BROKER_OR_TRAVEL_AGENT: ['broker', 'travel agent', 'brokertravelagent', 'broker travel agent'],
  HARBOURER: ['harbourer', 'harboured individual', 'harbouredindividual', 'harbouring'],
  SELLER: ['seller', 'sold individual', 'soldindividual'],
  BUYER: ['buyer', 'bought individual', 'boughtindividual'],
  RECEIVER: ['receiver', 'received individual', 'receivedindividual'],
  CONTROLLER: ['controller', 'controlled individual', 'controlledindividual'],
  SMUGGLER: ['smuggler', 'facilitator'],
  ABUSER: ['abuser'],
  KIDNAPPER: ['kidnapper', 'abductor'],
  EXPLOITER: ['exploiter'],
  OTHER: ['other'],
};

export const LABOUR_INDUSTRY_VOCABULARY: Vocabulary = {
  A: ['agriculture forestry and fishing', 'a agriculture forestry and fishing', 'agriculture'],
  B: ['mining and quarrying', 'b mining and quarrying', 'mining'],
  C: ['manufacturing', 'c manufacturing'],
  D: [
    'electricity gas steam and air conditioning supply',
    'd electricity gas steam and air conditioning supply',
  ],
  E: [
    'water supply sewerage waste management and remediation activities',
    'e water supply',
    'waste management',
  ],
  F: ['construction', 'f construction'],
  G: ['wholesale and retail trade', 'g wholesale and retail trade', 'retail'],
  H: ['transportation and storage', 'h transportation and storage', 'logistics'],
  I: [
    'accommodation and food service activities',
    'i accommodation and food service activities',
    'hospitality',
  ],
  J: ['information and communication', 'j information and communication'],
  K: ['financial and insurance activities', 'k financial and insurance activities'],
  L: ['real estate activities', 'l real estate activities'],
  M: [
    'professional scientific and technical activities',
    'm professional scientific and technical activities',
  ],
  N: [
    'administrative and support service activities',
    'n administrative and support service activities',
    'car wash',
    'cleaning',
  ],
  O: ['public administration and defence', 'o public administration and defence'],
  P: ['education', 'p education'],
  Q: [
    'human health and social work activities',
    'q human health and social work activities',
    'care',
    'social care',
  ],
  R: ['arts entertainment and recreation', 'r arts entertainment and recreation'],
  S: ['other service activities', 's other service activities', 'nail bar', 'beauty'],
  T: ['activities of households as employers', 't activities of households as employers', 'domestic work'],
  U: [
    'activities of extraterritorial organisations and bodies',
    'u activities of extraterritorial organisations and bodies',
  ],
};

export const COMPETENT_AUTHORITY_VOCABULARY: Vocabulary = {
  SCA: ['single competent authority'],
  IECA: ['immigration enforcement competent authority'],
};

export const NRM_DECISION_VOCABULARY: Vocabulary = {
  POSITIVE: ['positive', 'pos', 'yes', 'accepted', 'conclusive positive', 'reasonable grounds positive'],
  NEGATIVE: ['negative', 'neg', 'no', 'rejected'],
  PENDING: ['pending', 'awaiting', 'outstanding', 'not yet decided', 'awaiting decision'],
};

export const THREAT_TYPE_VOCABULARY: Vocabulary = {
  MODERN_SLAVERY: ['modern slavery', 'ms', 'slavery'],
  HUMAN_TRAFFICKING: ['human trafficking', 'ht', 'trafficking'],
  OIC: ['organised immigration crime', 'organized immigration crime', 'immigration crime'],
  MIXED: ['mixed', 'msht', 'ms ht', 'multiple', 'modern slavery and human trafficking'],
};

export const OPERATION_STATUS_VOCABULARY: Vocabulary = {
  LIVE: ['live', 'open', 'active', 'ongoing', 'current'],
  SUSPENDED: ['suspended', 'paused', 'on hold', 'dormant'],
  CLOSED: ['closed', 'finalised', 'finalized', 'complete', 'completed', 'filed', 'concluded'],
};

export const OBJECT_TYPE_VOCABULARY: Vocabulary = {
  VEHICLE: ['vehicle', 'car', 'van', 'lorry', 'motor vehicle', 'vrm', 'motorcycle'],
  PHONE: ['phone', 'telephone', 'mobile', 'mobile phone', 'cell phone', 'handset', 'msisdn', 'tel'],
  ACCOUNT: ['account', 'bank account', 'iban', 'financial account'],
  DOCUMENT: ['document', 'passport', 'id card', 'identity document', 'travel document', 'identity card'],
  PREMISES_ADVERT: ['premises advert', 'advert', 'advertisement', 'online advert', 'adult services advert'],
  OTHER: ['other'],
};

export const LOCATION_TYPE_VOCABULARY: Vocabulary = {
  EXPLOITATION_SITE: ['exploitation site', 'exploitation', 'place of exploitation', 'site of exploitation'],
  RESIDENCE: ['residence', 'home', 'home address', 'residential', 'address of residence'],
  RECRUITMENT: ['recruitment', 'recruitment site', 'place of recruitment'],
  TRANSIT: ['transit', 'transit point', 'route', 'staging post'],
  BUSINESS: ['business', 'business premises', 'commercial', 'workplace'],
};

export const BUSINESS_AREA_VOCABULARY: Vocabulary = {
  CRIME: ['crime', 'crime record', 'crimes'],
  INTELLIGENCE: ['intelligence', 'intel', 'intelligence report'],
  CUSTODY: ['custody'],
  CHILD_ABUSE: ['child abuse', 'child protection'],
  DOMESTIC_ABUSE: ['domestic abuse', 'domestic violence', 'da', 'dv'],
  NRM: ['national referral mechanism'],
};

/** Whether the source record still stands, or was deleted at source (its markers are then withdrawn). */
export const RECORD_STATUS_VOCABULARY: Vocabulary<'ACTIVE' | 'WITHDRAWN'> = {
  ACTIVE: ['active', 'current', 'live', 'open'],
  WITHDRAWN: ['withdrawn', 'withdraw', 'deleted', 'removed', 'expunged'],
};

export const MOPI_GROUP_VOCABULARY: Vocabulary = {
  '1': ['group 1', 'mopi 1', 'g1', 'mopi group 1'],
  '2': ['group 2', 'mopi 2', 'g2', 'mopi group 2'],
  '3': ['group 3', 'mopi 3', 'g3', 'mopi group 3'],
  '4': ['group 4', 'mopi 4', 'g4', 'mopi group 4'],
  UNASSIGNED: ['unassigned', 'none', 'not assigned', 'unknown', 'n a'],
};
