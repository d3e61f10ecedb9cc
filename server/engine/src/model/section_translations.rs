//! The skeleton's section names in the other languages plans are written
//! in: a table of translations per canonical section. A heading that is one
//! of them (after the same normalisation as English names, see
//! [`super::sections::normalize`]) names that section as a synonym would:
//! the section is present, and gets at most a spelling hint. Headings in
//! scripts written without spaces may add words after the name, joined by a
//! connector (`目的与用户价值`, "purpose and user value").
//!
//! Add a language by adding its words to every row it has a name for; the
//! tests below check that every entry is found and that no entry names two
//! sections.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::SectionKind;
use super::sections::normalize;

/// Each section's names in Spanish, Portuguese, French, German, Italian,
/// Japanese, Chinese and Korean, as plans write them.
const TRANSLATIONS: [(SectionKind, &[&str]); 12] = [
    (
        SectionKind::Purpose,
        &[
            "propósito",
            "objetivo",
            "objetivos",
            "finalidad",
            "objectif",
            "objectifs",
            "but",
            "zweck",
            "ziel",
            "ziele",
            "scopo",
            "obiettivo",
            "obiettivi",
            "目的",
            "目標",
            "目标",
            "목적",
            "목표",
        ],
    ),
    (
        SectionKind::Progress,
        &[
            "progreso",
            "avance",
            "avances",
            "progresso",
            "progrès",
            "avancement",
            "fortschritt",
            "avanzamento",
            "進捗",
            "進捗状況",
            "進行状況",
            "进度",
            "进展",
            "진행 상황",
            "진행",
        ],
    ),
    (
        SectionKind::Surprises,
        &[
            "sorpresas",
            "hallazgos",
            "descubrimientos",
            "surpresas",
            "descobertas",
            "découvertes",
            "überraschungen",
            "erkenntnisse",
            "sorprese",
            "scoperte",
            "驚き",
            "発見",
            "意外",
            "发现",
            "意外发现",
            "놀라움",
            "발견",
        ],
    ),
    (
        SectionKind::DecisionLog,
        &[
            "decisiones",
            "registro de decisiones",
            "decisões",
            "registro de decisões",
            "décisions",
            "journal des décisions",
            "entscheidungen",
            "entscheidungsprotokoll",
            "decisioni",
            "registro delle decisioni",
            "決定事項",
            "意思決定",
            "意思決定ログ",
            "決定ログ",
            "决策",
            "决策记录",
            "决策日志",
            "决定",
            "결정",
            "결정 기록",
            "결정 사항",
        ],
    ),
    (
        SectionKind::Outcomes,
        &[
            "resultados",
            "retrospectiva",
            "résultats",
            "rétrospective",
            "ergebnisse",
            "retrospektive",
            "risultati",
            "retrospettiva",
            "成果",
            "振り返り",
            "結果",
            "结果",
            "回顾",
            "复盘",
            "결과",
            "회고",
        ],
    ),
    (
        SectionKind::Context,
        &[
            "contexto",
            "orientación",
            "contexte",
            "kontext",
            "hintergrund",
            "contesto",
            "背景",
            "コンテキスト",
            "文脈",
            "上下文",
            "배경",
            "맥락",
        ],
    ),
    (
        SectionKind::PlanOfWork,
        &[
            "plan de trabajo",
            "plan de implementación",
            "plano de trabalho",
            "plan de travail",
            "arbeitsplan",
            "piano di lavoro",
            "作業計画",
            "実装計画",
            "工作计划",
            "实施计划",
            "작업 계획",
            "구현 계획",
        ],
    ),
    (
        SectionKind::ConcreteSteps,
        &[
            "pasos concretos",
            "pasos",
            "passos",
            "étapes concrètes",
            "étapes",
            "konkrete schritte",
            "schritte",
            "passi concreti",
            "具体的な手順",
            "手順",
            "具体步骤",
            "步骤",
            "구체적 단계",
            "단계",
        ],
    ),
    (
        SectionKind::Validation,
        &[
            "validación",
            "aceptación",
            "criterios de aceptación",
            "validação",
            "aceitação",
            "critérios de aceitação",
            "acceptation",
            "critères d'acceptation",
            "validierung",
            "abnahme",
            "abnahmekriterien",
            "validazione",
            "accettazione",
            "検証",
            "受け入れ条件",
            "受け入れ基準",
            "验证",
            "验收",
            "验收标准",
            "검증",
            "인수 조건",
        ],
    ),
    (
        SectionKind::Idempotence,
        &[
            "idempotencia",
            "recuperación",
            "idempotência",
            "recuperação",
            "idempotence",
            "reprise",
            "idempotenz",
            "wiederherstellung",
            "idempotenza",
            "ripristino",
            "冪等性",
            "復旧",
            "幂等性",
            "恢复",
            "멱등성",
            "복구",
        ],
    ),
    (
        SectionKind::Artifacts,
        &[
            "artefactos",
            "notas",
            "artefatos",
            "artefacts",
            "artefakte",
            "artefatti",
            "成果物",
            "メモ",
            "产物",
            "工件",
            "산출물",
        ],
    ),
    (
        SectionKind::Interfaces,
        &[
            "interfaces",
            "dependencias",
            "dependências",
            "dépendances",
            "schnittstellen",
            "abhängigkeiten",
            "interfacce",
            "dipendenze",
            "インターフェース",
            "依存関係",
            "接口",
            "依赖",
            "인터페이스",
            "의존성",
        ],
    ),
];

/// Words that join two names in scripts written without spaces.
const CJK_CONNECTORS: [char; 6] = ['与', '和', '及', 'と', '・', '、'];

/// Every translated name, normalised, with its section: the first row that
/// has a key wins (the tests check no key names two sections).
static KEYS: LazyLock<HashMap<String, SectionKind>> = LazyLock::new(|| {
    let mut keys = HashMap::new();
    for (kind, words) in TRANSLATIONS {
        for word in words {
            keys.entry(normalize(word)).or_insert(kind);
        }
    }
    keys
});

/// The section a translated name (a normalised key) names.
pub(super) fn translated_term(key: &str) -> Option<SectionKind> {
    KEYS.get(key).copied()
}

/// The section a heading written in another language names: a translated
/// name, or, in a script without spaces, a translated name before a
/// connector and more words (`目的与用户价值`, `検証と受け入れ`).
pub(super) fn translated(key: &str) -> Option<SectionKind> {
    if let Some(kind) = translated_term(key) {
        return Some(kind);
    }
    if key.chars().any(|c| c.is_ascii_alphabetic() || c == ' ') {
        return None;
    }
    let (head, _) = key.split_once(CJK_CONNECTORS)?;
    translated_term(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_translation_names_its_section_and_only_it() {
        for (kind, words) in TRANSLATIONS {
            for word in words {
                let key = normalize(word);
                let kinds: Vec<SectionKind> = TRANSLATIONS
                    .iter()
                    .flat_map(|(k, ws)| ws.iter().map(move |w| (normalize(w), *k)))
                    .filter(|(k, _)| *k == key)
                    .map(|(_, k)| k)
                    .collect();
                assert_eq!(kinds, [kind], "{word} names {kinds:?}");
                assert_eq!(translated_term(&key), Some(kind), "{word}");
            }
        }
    }

    #[test]
    fn translated_headings_name_their_section() {
        for (text, kind) in [
            ("Progreso", SectionKind::Progress),
            ("Progrès", SectionKind::Progress),
            ("進捗", SectionKind::Progress),
            ("目的", SectionKind::Purpose),
            ("上下文", SectionKind::Context),
            ("Registro de decisiones", SectionKind::DecisionLog),
            ("Sorpresas y descubrimientos", SectionKind::Surprises),
            ("目的与用户价值", SectionKind::Purpose),
            ("検証と受け入れ", SectionKind::Validation),
            ("受け入れ条件", SectionKind::Validation),
        ] {
            assert_eq!(
                crate::model::recognise(text),
                Some((kind, crate::model::Recognition::Synonym)),
                "{text}"
            );
        }
        // Words that are no section's name, and a name inside other words.
        for text in ["Alcance", "Riesgos", "前提", "変更対象", "用户价值与目的"] {
            assert_eq!(crate::model::recognise(text), None, "{text}");
        }
    }
}
