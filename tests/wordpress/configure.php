<?php
/**
 * Switches the test blog to one of the crawl variants.
 *
 * Usage: php configure.php classic|block|plain|html-only
 *
 *   classic    twentytwentyone, pretty permalinks
 *   block      twentytwentythree (a block theme), pretty permalinks
 *   plain      twentytwentyone, ?p=N permalinks
 *   html-only  twentytwentyone, pretty permalinks, REST API, feeds and sitemap turned off
 */

require __DIR__ . '/bootstrap.php';

$variants = array(
	'classic'   => array( 'twentytwentyone', '/%year%/%monthnum%/%day%/%postname%/', 0 ),
	'block'     => array( 'twentytwentythree', '/%year%/%monthnum%/%day%/%postname%/', 0 ),
	'plain'     => array( 'twentytwentyone', '', 0 ),
	'html-only' => array( 'twentytwentyone', '/%year%/%monthnum%/%day%/%postname%/', 1 ),
);
$name = $argv[1] ?? '';
if ( ! isset( $variants[ $name ] ) ) {
	fwrite( STDERR, 'usage: php configure.php ' . implode( '|', array_keys( $variants ) ) . "\n" );
	exit( 2 );
}
list( $theme, $structure, $html_only ) = $variants[ $name ];

update_option( 'template', $theme );
update_option( 'stylesheet', $theme );
update_option( 'current_theme', wp_get_theme( $theme )->get( 'Name' ) );
update_option( 'permalink_structure', $structure );
update_option( 'blogcorpus_html_only', $html_only );
// Taxonomies registered their rewrite rules under the old structure in this process, so the
// rules are not rebuilt here: the next request rebuilds them under the new structure.
delete_option( 'rewrite_rules' );
fwrite( STDERR, "blog switched to variant $name ($theme, permalinks '" . $structure . "', html_only=$html_only)\n" );
