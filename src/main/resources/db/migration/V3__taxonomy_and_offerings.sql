-- The bilingual taxonomy of services (codes stable, never renamed) and what each site offers, when,
-- and for whom. The taxonomy is network-wide: no org_id, no RLS. A code in use cannot be deleted: the
-- foreign key refuses it, whichever organization uses it.
CREATE TABLE service (
    code       text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{2,59}$'),
    category   text NOT NULL CHECK (category IN ('CONSUMPTION', 'ASSISTED_CONSUMPTION', 'TREATMENT', 'DRUG_CHECKING',
                                                 'HARM_REDUCTION', 'HEALTH', 'SOCIAL_SUPPORT')),
    method     text CHECK (method IN ('FTIR', 'FENTANYL_TEST_STRIP', 'BENZODIAZEPINE_TEST_STRIP', 'XYLAZINE_TEST_STRIP',
                                      'MASS_SPECTROMETRY')),
    name_en    text NOT NULL,
    name_fr    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO service (code, category, method, name_en, name_fr) VALUES
 ('SUPERVISED_INJECTION', 'CONSUMPTION', NULL, 'Supervised injection', 'Injection supervisée'),
 ('SUPERVISED_INHALATION', 'CONSUMPTION', NULL, 'Supervised inhalation', 'Inhalation supervisée'),
 ('SUPERVISED_INTRANASAL', 'CONSUMPTION', NULL, 'Supervised intranasal use', 'Consommation intranasale supervisée'),
 ('SUPERVISED_ORAL', 'CONSUMPTION', NULL, 'Supervised oral use', 'Consommation orale supervisée'),
 ('PEER_ASSISTED_INJECTION', 'ASSISTED_CONSUMPTION', NULL, 'Assisted injection by a peer', 'Injection assistée par un pair'),
 ('STAFF_ASSISTED_INJECTION', 'ASSISTED_CONSUMPTION', NULL, 'Assisted injection by staff', 'Injection assistée par le personnel'),
 ('ASSISTED_INJECTION_EDUCATION', 'ASSISTED_CONSUMPTION', NULL, 'Education for people requesting assisted injection',
  'Éducation des personnes qui demandent une injection assistée'),
 ('IOAT', 'TREATMENT', NULL, 'Injectable opioid agonist therapy (iOAT)', 'Traitement par agonistes opioïdes injectables (TAOi)'),
 ('SAFER_SUPPLY', 'TREATMENT', NULL, 'Safer supply', 'Approvisionnement plus sécuritaire'),
 ('REFERRAL_TO_TREATMENT', 'TREATMENT', NULL, 'Referral to treatment', 'Orientation vers un traitement'),
 ('DRUG_CHECKING_FTIR', 'DRUG_CHECKING', 'FTIR', 'Drug checking: FTIR spectrometry', 'Analyse de substances : spectrométrie infrarouge (FTIR)'),
 ('DRUG_CHECKING_FENTANYL_STRIP', 'DRUG_CHECKING', 'FENTANYL_TEST_STRIP', 'Drug checking: fentanyl test strips',
  'Analyse de substances : bandelettes de détection du fentanyl'),
 ('DRUG_CHECKING_BENZODIAZEPINE_STRIP', 'DRUG_CHECKING', 'BENZODIAZEPINE_TEST_STRIP', 'Drug checking: benzodiazepine test strips',
  'Analyse de substances : bandelettes de détection des benzodiazépines'),
 ('DRUG_CHECKING_XYLAZINE_STRIP', 'DRUG_CHECKING', 'XYLAZINE_TEST_STRIP', 'Drug checking: xylazine test strips',
  'Analyse de substances : bandelettes de détection de la xylazine'),
 ('DRUG_CHECKING_MASS_SPECTROMETRY', 'DRUG_CHECKING', 'MASS_SPECTROMETRY', 'Drug checking: mass spectrometry',
  'Analyse de substances : spectrométrie de masse'),
 ('SPLITTING_AND_SHARING', 'HARM_REDUCTION', NULL, 'Splitting and sharing allowed', 'Partage et division des substances permis'),
 ('NALOXONE_DISTRIBUTION', 'HARM_REDUCTION', NULL, 'Naloxone distribution', 'Distribution de naloxone'),
 ('STERILE_SUPPLIES', 'HARM_REDUCTION', NULL, 'Sterile supplies', 'Matériel de consommation stérile'),
 ('PEER_WITNESSING', 'HARM_REDUCTION', NULL, 'Peer witnessing', 'Témoin par les pairs'),
 ('WOUND_CARE', 'HEALTH', NULL, 'Wound care', 'Soins des plaies'),
 ('HOUSING_SUPPORT', 'SOCIAL_SUPPORT', NULL, 'Housing support', 'Soutien au logement'),
 ('INCARCERATION_SUPPORT', 'SOCIAL_SUPPORT', NULL, 'Support before, during or after incarceration',
  'Soutien avant, pendant ou après l''incarcération'),
 ('YOUTH_ACCESS', 'SOCIAL_SUPPORT', NULL, 'Youth access', 'Accès pour les jeunes');

CREATE TABLE offering (
    org_id       text NOT NULL,
    site_id      uuid NOT NULL,
    service_code text NOT NULL REFERENCES service (code) ON DELETE RESTRICT,
    schedule     jsonb NOT NULL,
    notes        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, site_id, service_code),
    FOREIGN KEY (org_id, site_id) REFERENCES site (org_id, id)
);
CREATE INDEX offering_service ON offering (org_id, service_code);

CALL tenant_table('offering');

GRANT SELECT, INSERT, DELETE ON service TO ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON offering TO ${appRole};
