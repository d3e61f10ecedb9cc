fn main() {
    for p in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&p).unwrap();
        let m = execplan_ls::model::build_from_text(&text);
        println!("=== {p}");
        println!("title={:?} before={:?} preamble={}", m.title_heading().map(|h| &h.text), m.text_before_title, m.preamble.len());
        for s in &m.sections { println!("  L{} {:?} {:?} content={} sub={} parent={:?}", s.level, m.headings[s.heading].text, s.kind, s.has_content, s.has_subsections, s.parent); }
        let ts: Vec<_> = m.checkboxes.iter().map(|c| format!("{:?}{}{}", c.state, if c.in_progress {"P"} else {"-"}, c.timestamp.as_ref().map(|t| if t.is_canonical() {"c"} else {"n"}).unwrap_or("0"))).collect();
        println!("  boxes {:?}", ts);
        println!("  decisions {:?}", m.decisions.iter().map(|d| (d.shape, d.labels.len())).collect::<Vec<_>>());
        println!("  surprises {:?}", m.surprises.iter().map(|d| (d.shape, d.labels.len())).collect::<Vec<_>>());
        println!("  fences={} tables={} links={:?} paths={} rev={:?}", m.fences.len(), m.tables.len(), m.links.iter().map(|l| &l.target).collect::<Vec<_>>(), m.code_paths.len(), m.revision_note);
    }
}
