"""The public portal: submit, track and evaluate, browse public cases, the department scoreboard."""
