//! Fuzz target: arbitrary bytes as a project file. Loading must return a project or an
//! error, never panic, overflow the stack or hang; a loaded project must save and load back
//! equal, with no warnings the second time.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.ron");
    let Ok(loaded) = spanmark::format::project_from_ron(text, path) else {
        return;
    };
    let Ok(saved) = spanmark::format::project_to_ron(&loaded.project) else {
        panic!("a loaded project could not be saved");
    };
    match spanmark::format::project_from_ron(&saved, path) {
        Ok(again) => {
            assert!(
                again.warnings.is_empty(),
                "warnings after a round trip: {:?}",
                again.warnings
            );
            assert!(
                again.project == loaded.project,
                "the round trip changed the project"
            );
        }
        Err(e) => panic!("a saved project does not load: {e}\n{saved}"),
    }
});
